package dev.serin.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Reconciling known Canaries again (a resync, every status pass) registers no meter: registering takes Micrometer's
 * one registry-wide lock, which every worker would queue on (BENCHMARKS.md, "What the workers wait on").
 */
class CanaryMetricsRepassTest {
    private static final int CANARIES = 500;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AutopilotMetrics autopilot = new AutopilotMetrics(registry);
    private final CanaryMetrics metrics = new CanaryMetrics(registry, autopilot, new DriftMetrics(registry));
    private final AtomicInteger added = new AtomicInteger();

    private void pass(double weight) {
        for (int i = 0; i < CANARIES; i++) {
            metrics.weights("ns", "c" + i, 50.0, weight);
            autopilot.step("ns", "c" + i, (int) weight);
        }
    }

    @Test
    void laterPassesOverKnownCanariesRegisterNoMeterAndStillPublishTheirValues() {
        pass(10);
        registry.config().onMeterAdded(m -> added.incrementAndGet());

        pass(20);
        pass(30);

        assertEquals(0, added.get(), "meters registered by passes over known Canaries");
        assertEquals(30.0, registry.get("serin.canary.weight").tag("name", "c7").gauge().value());
        assertEquals(50.0, registry.get("serin.canary.desired.weight").tag("name", "c7").gauge().value());
        assertEquals(30.0, registry.get("serin.canary.step").tag("name", "c7").gauge().value());
    }
}
