package dev.serin.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Losing leadership or deleting a Canary drops its series without scanning every meter per Canary. */
class CanaryMetricsForgetTest {
    private static final int CANARIES = 2_000;

    /** Counts the scans of every meter that registry.find makes (Search reads getMeters()). */
    static final class CountingRegistry extends SimpleMeterRegistry {
        final AtomicInteger scans = new AtomicInteger();

        @Override
        public List<Meter> getMeters() {
            scans.incrementAndGet();
            return super.getMeters();
        }
    }

    private final CountingRegistry registry = new CountingRegistry();
    private final AutopilotMetrics autopilot = new AutopilotMetrics(registry);
    private final DriftMetrics drift = new DriftMetrics(registry);
    private final CanaryMetrics metrics = new CanaryMetrics(registry, autopilot, drift);

    private void publishAll() {
        for (int i = 0; i < CANARIES; i++) {
            metrics.weights("ns", "c" + i, 10.0, 5.0);
            autopilot.step("ns", "c" + i, 1);
            drift.reverted("ns", "c" + i);
        }
    }

    private long perCanarySeries() {
        return registry.getMeters().stream().filter(m -> m.getId().getTag("name") != null).count();
    }

    @Test
    void forgetAllDropsEverySeriesInABoundedNumberOfScans() {
        publishAll();
        assertEquals(4L * CANARIES, perCanarySeries());
        registry.scans.set(0);

        metrics.forgetAll();

        // Today's code scanned all meters 3-4 times per Canary: O(Canaries × meters).
        assertTrue(registry.scans.get() <= 4, "scans of all meters: " + registry.scans.get());
        assertEquals(0, perCanarySeries());
        assertNotNull(registry.find("serin.weight.changes").counter(), "the controller-wide series stay");
    }

    @Test
    void forgetOneCanaryLeavesTheOthersAndScansNothing() {
        publishAll();
        registry.scans.set(0);

        metrics.forget("ns", "c7");

        assertEquals(0, registry.scans.get());
        assertNull(registry.find("serin.canary.weight").tag("name", "c7").gauge());
        assertNull(registry.find("serin.canary.step").tag("name", "c7").gauge());
        assertNull(registry.find("serin.drift.conflicts").tag("name", "c7").counter());
        assertEquals(4L * (CANARIES - 1), perCanarySeries());
        assertEquals(5.0, registry.find("serin.canary.weight").tag("name", "c8").gauge().value());
    }

    @Test
    void aForgottenCanaryPublishesAgain() {
        metrics.weights("ns", "a", 10.0, 10.0);
        drift.reverted("ns", "a");
        metrics.forgetAll();

        metrics.weights("ns", "a", 20.0, 20.0);
        drift.reverted("ns", "a");

        assertEquals(20.0, registry.find("serin.canary.weight").tag("name", "a").gauge().value());
        assertEquals(1.0, registry.find("serin.drift.conflicts").tag("name", "a").counter().count());
    }
}
