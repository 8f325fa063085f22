package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The core/v1 Event Serin records on a Canary, the same for the controller and the REST API. It is a "new" Event
 * (eventTime set), so the API server requires reportingComponent, reportingInstance, action and reason of at most 128
 * bytes and a message of at most 1024 (legacyValidateEvent); firstTimestamp, lastTimestamp and count are set too, so
 * that kubectl's "Age" and "Count" columns read them. Pure.
 */
public final class CanaryEventBuilder {
    /** The API server's limits on an Event with eventTime (pkg/apis/core/validation/events.go). */
    public static final int MAX_MESSAGE_BYTES = 1024;
    public static final int MAX_FIELD_BYTES = 128;
    /**
     * A metav1.MicroTime must have exactly six fractional digits (layout "2006-01-02T15:04:05.000000Z07:00");
     * ISO_INSTANT prints 0, 3, 6 or 9 as needed, so it is formatted with a fixed pattern.
     */
    private static final DateTimeFormatter MICRO_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** A metav1.Time is written in whole seconds, as the API server writes it back. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    /** Who records an Event: source.component (what kubectl shows as "From") and reportingComponent. */
    public enum Reporter {
        CONTROLLER("serin", "serin.dev/controller", "Reconcile"),
        API("serin-api", "serin.dev/api", "Request");

        final String component;
        final String reportingComponent;
        final String defaultAction;

        Reporter(String component, String reportingComponent, String defaultAction) {
            this.component = component;
            this.reportingComponent = reportingComponent;
            this.defaultAction = defaultAction;
        }
    }

    private CanaryEventBuilder() {
    }

    /**
     * @param instance which replica records it (reportingInstance), e.g. the pod's name
     * @param action   what was done, e.g. SetWeight; null for the reporter's default
     * @param name     the Event's name, see {@link #name}
     */
    public static Event build(Canary canary, Reporter reporter, String instance, String type, String reason,
            String action, String message, String name, Instant now) {
        String seconds = time(now);
        return new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(canary.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(canary.getApiVersion()).withKind(canary.getKind())
                .withName(canary.getMetadata().getName()).withNamespace(canary.getMetadata().getNamespace())
                .withUid(canary.getMetadata().getUid())
                .endInvolvedObject()
                .withType(type)
                .withReason(truncate(reason, MAX_FIELD_BYTES))
                .withMessage(truncate(message, MAX_MESSAGE_BYTES))
                .withAction(truncate(action == null ? reporter.defaultAction : action, MAX_FIELD_BYTES))
                .withNewSource().withComponent(reporter.component).endSource()
                .withReportingComponent(reporter.reportingComponent)
                .withReportingInstance(truncate(instance, MAX_FIELD_BYTES))
                .withEventTime(new MicroTime(microTime(now)))
                .withFirstTimestamp(seconds).withLastTimestamp(seconds).withCount(1)
                .build();
    }

    /** {@code <canary>.<hex>}: unique per recorder even when the clock stands still, ordered by time then sequence. */
    public static String name(Canary canary, Instant now, long sequence) {
        return canary.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli() * 1_000_000L
                + Math.floorMod(sequence, 1_000_000L));
    }

    /** A metav1.MicroTime: UTC, exactly six fractional digits. */
    public static String microTime(Instant instant) {
        return MICRO_TIME.format(instant);
    }

    /** A metav1.Time: UTC, whole seconds. */
    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** At most {@code maxBytes} of UTF-8, cut at a character boundary and marked with "…" when cut. */
    static String truncate(String text, int maxBytes) {
        if (text == null || text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
            return text;
        }
        String ellipsis = "…";
        int budget = maxBytes - ellipsis.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (used + bytes > budget) {
                break;
            }
            out.appendCodePoint(codePoint);
            used += bytes;
            i += Character.charCount(codePoint);
        }
        return out.append(ellipsis).toString();
    }
}
