package dev.serin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** How often another writer reverted the routes or subsets Serin wrote. */
@ApplicationScoped
public class DriftMetrics {
    private final MeterRegistry registry;

    public DriftMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** serin_drift_conflicts_total{namespace,name} */
    public void reverted(String namespace, String name) {
        Counter.builder("serin.drift.conflicts").description("Reverts by another writer of routes or subsets Serin wrote")
                .tag("namespace", namespace).tag("name", name).register(registry).increment();
    }
}
