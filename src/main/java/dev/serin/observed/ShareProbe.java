package dev.serin.observed;

import dev.serin.api.v1alpha1.ObservedShare;
import dev.serin.autopilot.analysis.PromQl;
import dev.serin.autopilot.analysis.PrometheusAnalysisProvider;
import dev.serin.autopilot.analysis.QueryResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;

/**
 * Measures one Canary's share: two instant queries at the same time over Istio's {@code istio_requests_total}
 * ({@code reporter="destination"}, so each request is counted once, by the receiving sidecar), one for the canary
 * workload (the canary Deployment) and one for the stable workload (the target Deployment) in the Canary's namespace.
 * Both Deployments' pods sit behind the same Service, so these are the two halves of its traffic.
 */
@ApplicationScoped
public class ShareProbe {
    private final PrometheusAnalysisProvider prometheus;

    public ShareProbe(PrometheusAnalysisProvider prometheus) {
        this.prometheus = prometheus;
    }

    public ObservedShare measure(String prometheusUrl, String namespace, String stableWorkload,
            String canaryWorkload, Duration window, long minRequests, Instant at) {
        String w = PromQl.duration(window);
        QueryResult canary = prometheus.instant(prometheusUrl, PromQl.requests(namespace, canaryWorkload, null, window), at);
        if (canary instanceof QueryResult.Failed f) {
            return ShareMeasurement.failed(f.message(), w, at);
        }
        QueryResult stable = prometheus.instant(prometheusUrl, PromQl.requests(namespace, stableWorkload, null, window), at);
        if (stable instanceof QueryResult.Failed f) {
            return ShareMeasurement.failed(f.message(), w, at);
        }
        return ShareMeasurement.of(count(canary), count(stable), minRequests, w, at);
    }

    /** No series (no request ever seen) counts as none. */
    private static double count(QueryResult r) {
        return r instanceof QueryResult.Value v && Double.isFinite(v.value()) ? v.value() : 0;
    }
}
