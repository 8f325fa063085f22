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
 * Both Deployments' pods sit behind the same Service, so these are the two halves of its traffic. Both look back over
 * the time since the weight last changed, at most the window ({@link ShareMeasurement#stretch}), so the share
 * describes the weight traffic gets now; until that stretch holds the minimum the answer says it is settling.
 */
@ApplicationScoped
public class ShareProbe {
    private static final Duration SECOND = Duration.ofSeconds(1);
    private final PrometheusAnalysisProvider prometheus;

    public ShareProbe(PrometheusAnalysisProvider prometheus) {
        this.prometheus = prometheus;
    }

    /** Over the whole window, whenever the weight changed. */
    public ObservedShare measure(String prometheusUrl, String namespace, String stableWorkload,
            String canaryWorkload, Duration window, long minRequests, Instant at) {
        return measure(prometheusUrl, namespace, stableWorkload, canaryWorkload, window, minRequests, at,
                WeightChange.UNKNOWN);
    }

    public ObservedShare measure(String prometheusUrl, String namespace, String stableWorkload,
            String canaryWorkload, Duration window, long minRequests, Instant at, WeightChange since) {
        Duration stretch = ShareMeasurement.stretch(since, at, window, SECOND);
        if (stretch.isZero()) {
            return ShareMeasurement.settling(since, minRequests, at);
        }
        String w = PromQl.duration(stretch);
        QueryResult canary = prometheus.instant(prometheusUrl, PromQl.requests(namespace, canaryWorkload, null, stretch), at);
        if (canary instanceof QueryResult.Failed f) {
            return ShareMeasurement.failed(f.message(), w, at);
        }
        QueryResult stable = prometheus.instant(prometheusUrl, PromQl.requests(namespace, stableWorkload, null, stretch), at);
        if (stable instanceof QueryResult.Failed f) {
            return ShareMeasurement.failed(f.message(), w, at);
        }
        String tooFew = stretch.equals(window) ? ShareMeasurement.notEnough(minRequests, w)
                : ShareMeasurement.settling(since, minRequests);
        return ShareMeasurement.of(count(canary), count(stable), minRequests, w, at, tooFew);
    }

    /** No series (no request ever seen) counts as none. */
    private static double count(QueryResult r) {
        return r instanceof QueryResult.Value v && Double.isFinite(v.value()) ? v.value() : 0;
    }
}
