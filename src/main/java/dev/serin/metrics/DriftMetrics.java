package dev.serin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** How often another writer reverted the routes or subsets Serin wrote. */
@ApplicationScoped
public class DriftMetrics {
    private static final String CONFLICTS = "serin.drift.conflicts";
    private final MeterRegistry registry;
    // Each Canary's counter, kept so forgetting removes it by reference (registry.find scans every meter).
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public DriftMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** serin_drift_conflicts_total{namespace,name} */
    public void reverted(String namespace, String name) {
        counters.computeIfAbsent(namespace + "/" + name, key -> Counter.builder(CONFLICTS)
                .description("Reverts by another writer of routes or subsets Serin wrote")
                .tag("namespace", namespace).tag("name", name).register(registry)).increment();
    }

    /** Drops a Canary's series (it is gone, or this replica no longer leads). */
    public void forget(String namespace, String name) {
        Counter counter = counters.remove(namespace + "/" + name);
        if (counter != null) {
            registry.remove(counter);
        }
    }

    /** Drops every Canary's series. */
    public void forgetAll() {
        for (String key : List.copyOf(counters.keySet())) {
            Counter counter = counters.remove(key);
            if (counter != null) {
                registry.remove(counter);
            }
        }
    }
}
