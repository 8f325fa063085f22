package dev.serin.autopilot.analysis;

import dev.serin.api.v1alpha1.AnalysisSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One analysis of a canary.
 *
 * @param namespace the canary's namespace ({@code destination_workload_namespace})
 * @param workload the canary Deployment, {@code <canary name>-canary} ({@code destination_workload})
 * @param version the canary pods' {@code version} label ({@code destination_version}); null or blank: any version
 * @param window how much traffic to look at, back from {@code at}; normally the step interval
 * @param spec the user's analysis settings
 * @param at the evaluation time (from the controller's Clock); queries are evaluated at this instant
 * @param stableWorkload the stable Deployment (the Canary's target), which compare mode holds the canary against;
 *     null: no stable side known (compared metrics are then inconclusive)
 * @param withoutIstioMetrics why Istio's standard metrics do not count the canary's traffic (its routes are served by
 *     another implementation, or none has said yet): the built-in metrics, which read them, are then inconclusive with
 *     this message and not queried; the user's own queries are run as ever. Null when Istio's metrics count it.
 */
public record AnalysisRequest(String namespace, String workload, String version, Duration window, AnalysisSpec spec,
        Instant at, String stableWorkload, String withoutIstioMetrics) {

    public AnalysisRequest(String namespace, String workload, String version, Duration window, AnalysisSpec spec,
            Instant at, String stableWorkload) {
        this(namespace, workload, version, window, spec, at, stableWorkload, null);
    }

    public AnalysisRequest(String namespace, String workload, String version, Duration window, AnalysisSpec spec,
            Instant at) {
        this(namespace, workload, version, window, spec, at, null);
    }

    public AnalysisRequest {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(at, "at");
        if (namespace.isBlank() || workload.isBlank()) {
            throw new IllegalArgumentException("namespace and workload must not be blank");
        }
        if (window.isNegative() || window.isZero() || window.toMillis() == 0) {
            throw new IllegalArgumentException("window must be at least 1ms: " + window);
        }
    }

    /** The minimum request count: the spec's {@code minRequests}, 0 when unset. */
    public long minRequests() {
        return spec.minRequests == null ? 0 : Math.max(0, spec.minRequests);
    }
}
