package dev.serin.rest;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.rest.auth.Caller;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Records a core/v1 Event on a Canary for a change the REST API accepted, naming the caller, so
 * {@code kubectl describe canary} shows who did it. Written by the REST layer only: nothing reads it back.
 */
@ApplicationScoped
public class CanaryEvents {
    private static final Logger LOG = Logger.getLogger(CanaryEvents.class);
    private static final AtomicLong SEQ = new AtomicLong();

    private final KubernetesClient client;
    private final Clock clock;

    public CanaryEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * @param reason  CamelCase reason, e.g. WeightSet
     * @param action  what was done, e.g. SetWeight
     * @param message the whole message; should name the caller
     */
    public void record(Canary canary, Caller caller, String reason, String action, String message) {
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        // unique per event even when the clock stands still (as in tests)
        long suffix = clock.millis() * 1_000_000L + SEQ.incrementAndGet() % 1_000_000L;
        Event event = new EventBuilder()
                .withNewMetadata()
                .withName(canary.getMetadata().getName() + "." + Long.toHexString(suffix))
                .withNamespace(canary.getMetadata().getNamespace())
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(canary.getApiVersion())
                .withKind(canary.getKind())
                .withName(canary.getMetadata().getName())
                .withNamespace(canary.getMetadata().getNamespace())
                .withUid(canary.getMetadata().getUid())
                .withResourceVersion(canary.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType("Normal")
                .withReason(reason)
                .withMessage(message)
                .withNewSource().withComponent("serin-api").endSource()
                .withReportingComponent("serin.dev/api")
                .withReportingInstance(Optional.ofNullable(System.getenv("HOSTNAME")).orElse("serin"))
                .withAction(action)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withEventTime(new MicroTime(DateTimeFormatter.ISO_INSTANT.format(clock.instant())))
                .withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("Could not record the %s event of Canary %s/%s (by %s): %s", reason,
                    canary.getMetadata().getNamespace(), canary.getMetadata().getName(), caller.username(), e.getMessage());
        }
    }
}
