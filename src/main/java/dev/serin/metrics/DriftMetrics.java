package dev.serin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;

/** How often another writer reverted the routes or subsets Serin wrote. */
@ApplicationScoped
public class DriftMetrics {
    private static final String CONFLICTS = "serin.drift.conflicts";
    private final MeterRegistry registry;

    public DriftMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** serin_drift_conflicts_total{namespace,name} */
    public void reverted(String namespace, String name) {
        Counter.builder(CONFLICTS).description("Reverts by another writer of routes or subsets Serin wrote")
                .tag("namespace", namespace).tag("name", name).register(registry).increment();
    }

    /** Drops a Canary's series (it is gone, or this replica no longer leads). */
    public void forget(String namespace, String name) {
        registry.find(CONFLICTS).tags(Tags.of("namespace", namespace, "name", name)).counters().forEach(registry::remove);
    }

    /** Drops every Canary's series. */
    public void forgetAll() {
        registry.find(CONFLICTS).counters().forEach(registry::remove);
    }
}
