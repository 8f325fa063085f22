package dev.serin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The autopilot's Prometheus metrics. */
@ApplicationScoped
public class AutopilotMetrics {
    private final MeterRegistry registry;
    // Each Canary's gauge beside its value, so forgetting removes it by reference (registry.find scans every meter).
    private final Map<String, Step> steps = new ConcurrentHashMap<>();
    private final Counter promotions;
    private final Counter rollbacks;

    public AutopilotMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.promotions = Counter.builder("serin.promotions").description("Canaries promoted to stable").register(registry);
        this.rollbacks = Counter.builder("serin.rollbacks").description("Canaries rolled back to weight 0").register(registry);
    }

    public void checked(String result) {
        Counter.builder("serin.analysis.checks").description("Analysis checks by result").tag("result", result)
                .register(registry).increment();
    }

    public void step(String namespace, String name, int stepIndex) {
        steps.computeIfAbsent(namespace + "/" + name, key -> {
            AtomicInteger value = new AtomicInteger();
            Gauge gauge = Gauge.builder("serin.canary.step", value, AtomicInteger::get)
                    .tags(Tags.of("namespace", namespace, "name", name))
                    .description("Index of the autopilot step a Canary is at (-1 before the first)").register(registry);
            return new Step(value, gauge);
        }).value().set(stepIndex);
    }

    /** Drops a Canary's step series (it is gone, or this replica no longer leads). */
    public void forget(String namespace, String name) {
        forgetKey(namespace + "/" + name);
    }

    /** Drops every Canary's step series. */
    public void forgetAll() {
        for (String key : java.util.List.copyOf(steps.keySet())) {
            forgetKey(key);
        }
    }

    private void forgetKey(String key) {
        Step step = steps.remove(key);
        if (step != null) {
            registry.remove(step.gauge());
        }
    }

    public void promoted() {
        promotions.increment();
    }

    public void rolledBack() {
        rollbacks.increment();
    }

    private record Step(AtomicInteger value, Gauge gauge) {}
}
