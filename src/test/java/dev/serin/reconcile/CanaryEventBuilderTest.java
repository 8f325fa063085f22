package dev.serin.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.reconcile.CanaryEventBuilder.Reporter;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CanaryEventBuilderTest {
    static Canary canary() {
        Canary canary = new Canary();
        canary.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").withUid("u-1").build());
        return canary;
    }

    @Test
    void eventTimeHasSixFractionalDigitsWhateverTheClockGives() {
        // ISO_INSTANT would print 0, 3 and 9 digits for these; a MicroTime takes exactly six
        assertEquals("2025-03-01T10:00:29.000000Z", CanaryEventBuilder.microTime(Instant.parse("2025-03-01T10:00:29Z")));
        assertEquals("2025-03-01T10:00:29.067000Z", CanaryEventBuilder.microTime(Instant.parse("2025-03-01T10:00:29.067Z")));
        assertEquals("2025-03-01T10:00:29.067575Z",
                CanaryEventBuilder.microTime(Instant.parse("2025-03-01T10:00:29.067575836Z")));
        assertEquals("2025-03-01T10:00:29Z", CanaryEventBuilder.time(Instant.parse("2025-03-01T10:00:29.999Z")));
    }

    @Test
    void theControllerAndTheApiBuildTheSameFields() {
        Instant now = Instant.parse("2025-03-01T10:00:29.067575836Z");
        Event controller = CanaryEventBuilder.build(canary(), Reporter.CONTROLLER, "serin-0", "Normal", "TrafficShifted",
                null, "weight 0 → 5", "web.1", now);
        Event api = CanaryEventBuilder.build(canary(), Reporter.API, "serin-1", "Normal", "WeightSet", "SetWeight",
                "Weight set to 5% by admin", "web.2", now);
        for (Event e : new Event[] {controller, api}) {
            assertEquals("2025-03-01T10:00:29.067575Z", e.getEventTime().getTime());
            assertEquals("2025-03-01T10:00:29Z", e.getFirstTimestamp());
            assertEquals("2025-03-01T10:00:29Z", e.getLastTimestamp());
            assertEquals(1, e.getCount());
            assertEquals("shop", e.getInvolvedObject().getNamespace());
            assertEquals("u-1", e.getInvolvedObject().getUid());
        }
        assertEquals("Reconcile", controller.getAction());
        assertEquals("serin.dev/controller", controller.getReportingComponent());
        assertEquals("serin", controller.getSource().getComponent());
        assertEquals("SetWeight", api.getAction());
        assertEquals("serin.dev/api", api.getReportingComponent());
        assertEquals("serin-1", api.getReportingInstance());
    }

    @Test
    void aLongMessageIsCutToTheServersLimitAtACharacterBoundary() {
        String message = "é".repeat(600); // 1200 bytes
        Event e = CanaryEventBuilder.build(canary(), Reporter.CONTROLLER, "serin-0", "Warning", "ApiRejected", null,
                message, "web.1", Instant.EPOCH);
        byte[] bytes = e.getMessage().getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length <= CanaryEventBuilder.MAX_MESSAGE_BYTES, String.valueOf(bytes.length));
        assertTrue(e.getMessage().endsWith("é…"), e.getMessage());
        assertEquals("short", CanaryEventBuilder.truncate("short", 10));
    }

    @Test
    void namesAreOrderedByTimeThenSequence() {
        Instant now = Instant.parse("2025-03-01T10:00:29Z");
        String first = CanaryEventBuilder.name(canary(), now, 1);
        String second = CanaryEventBuilder.name(canary(), now, 2);
        String later = CanaryEventBuilder.name(canary(), now.plusMillis(1), 3);
        assertTrue(first.startsWith("web."));
        long a = Long.parseLong(first.substring(4), 16);
        long b = Long.parseLong(second.substring(4), 16);
        long c = Long.parseLong(later.substring(4), 16);
        assertTrue(a < b && b < c);
    }
}
