package dev.serin.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** The controller's Prometheus metrics, exposed at /q/metrics. */
@ApplicationScoped
public class CanaryMetrics {
    private final MeterRegistry registry;
    private final AutopilotMetrics autopilot;
    private final DriftMetrics drift;
    // Each Canary's values beside its gauges, so forgetting removes them by reference (registry.find scans every meter).
    private final Map<String, Weights> weights = new ConcurrentHashMap<>();
    private final Counter weightChanges;
    private final Counter reconcileErrors;
    private final Timer reconcileTimer;

    public CanaryMetrics(MeterRegistry registry, AutopilotMetrics autopilot, DriftMetrics drift) {
        this.registry = registry;
        this.autopilot = autopilot;
        this.drift = drift;
        this.weightChanges = Counter.builder("serin.weight.changes")
                .description("Weight changes Serin wrote to VirtualServices").register(registry);
        this.reconcileErrors = Counter.builder("serin.reconcile.errors")
                .description("Reconciles that failed and were retried").register(registry);
        this.reconcileTimer = Timer.builder("serin.reconcile")
                .description("Time one reconcile of one Canary takes").register(registry);
    }

    /** Publishes a Canary's desired and applied weight (NaN while unknown). */
    public void weights(String namespace, String name, Double desired, Double applied) {
        double[] values = weights.computeIfAbsent(namespace + "/" + name, key -> {
            double[] v = {Double.NaN, Double.NaN};
            Tags tags = Tags.of("namespace", namespace, "name", name);
            Meter appliedGauge = Gauge.builder("serin.canary.weight", v, a -> a[1]).tags(tags)
                    .description("Canary share of traffic now written in every VirtualService, percent").register(registry);
            Meter desiredGauge = Gauge.builder("serin.canary.desired.weight", v, a -> a[0]).tags(tags)
                    .description("Canary share of traffic asked for in spec.weight, percent").register(registry);
            return new Weights(v, List.of(appliedGauge, desiredGauge));
        }).values();
        values[0] = desired == null ? Double.NaN : desired;
        values[1] = applied == null ? Double.NaN : applied;
    }

    /** Drops a Canary's per-Canary series, the autopilot's step and the drift count too: a deleted Canary leaves none behind. */
    public void forget(String namespace, String name) {
        autopilot.forget(namespace, name);
        drift.forget(namespace, name);
        forgetWeights(namespace + "/" + name);
    }

    /** Drops every per-Canary series: a replica that stops leading publishes none (the leader does). */
    public void forgetAll() {
        for (String key : List.copyOf(weights.keySet())) {
            forgetWeights(key);
        }
        autopilot.forgetAll();
        drift.forgetAll();
    }

    private void forgetWeights(String key) {
        Weights series = weights.remove(key);
        if (series != null) {
            series.meters().forEach(registry::remove);
        }
    }

    public void weightChanged() {
        weightChanges.increment();
    }

    public void reconcileFailed() {
        reconcileErrors.increment();
    }

    public <T> T timeReconcile(Supplier<T> reconcile) {
        return reconcileTimer.record(reconcile);
    }

    private record Weights(double[] values, List<Meter> meters) {}
}
