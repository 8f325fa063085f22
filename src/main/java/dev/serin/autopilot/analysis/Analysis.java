package dev.serin.autopilot.analysis;

import dev.serin.api.v1alpha1.AnalysisSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict rules, independent of how queries are run.
 *
 * <ul>
 *   <li>{@code requests} (always reported): requests the canary received in the window; no data counts as 0. Fewer than
 *       {@code minRequests} (default 0): the whole analysis is INCONCLUSIVE, whatever the other metrics say (their
 *       values and own verdicts are still reported).
 *   <li>Any metric outside its bounds (min and max inclusive): FAIL.
 *   <li>A metric without data (empty result or NaN) or whose query failed: INCONCLUSIVE for that metric, and for the
 *       analysis unless another metric FAILed.
 *   <li>Otherwise PASS. An error never gives PASS.
 * </ul>
 *
 * Once Prometheus is found unreachable, the remaining metrics are not queried; they are INCONCLUSIVE with the same
 * message, so one analysis waits for at most one timeout.
 */
public final class Analysis {
    public static final String REQUESTS = "requests";
    public static final String SUCCESS_RATE = "successRate";
    public static final String LATENCY_P99 = "latencyP99";

    /** Runs one PromQL instant query. Must not throw. */
    @FunctionalInterface
    public interface QueryRunner {
        QueryResult run(String promql);
    }

    private Analysis() {
    }

    public static AnalysisOutcome evaluate(AnalysisRequest request, QueryRunner runner) {
        Runner run = new Runner(runner);
        AnalysisSpec spec = request.spec();
        String ns = request.namespace();
        String wl = request.workload();
        String ver = request.version();
        String window = PromQl.duration(request.window());
        List<MetricOutcome> metrics = new ArrayList<>();

        MetricOutcome requests = requests(run.run(PromQl.requests(ns, wl, ver, request.window())),
                request.minRequests(), window);
        metrics.add(requests);

        if (spec.successRate != null) {
            metrics.add(bounded(SUCCESS_RATE, run.run(PromQl.successRate(ns, wl, ver, request.window())),
                    spec.successRate.min, spec.successRate.max, "%"));
        }
        if (spec.latencyP99 != null) {
            metrics.add(bounded(LATENCY_P99, run.run(PromQl.latencyP99(ns, wl, ver, request.window())),
                    null, spec.latencyP99.maxMs, "ms"));
        }
        if (spec.queries != null) {
            for (int i = 0; i < spec.queries.size(); i++) {
                AnalysisSpec.Query q = spec.queries.get(i);
                String name = q == null || q.name == null || q.name.isBlank() ? "queries[" + i + "]" : q.name;
                if (q == null || q.query == null || q.query.isBlank()) {
                    metrics.add(new MetricOutcome(name, null, Verdict.INCONCLUSIVE, "no query given"));
                    continue;
                }
                String promql = PromQl.expand(q.query, ns, wl, ver, request.window());
                metrics.add(bounded(name, run.run(promql), q.min, q.max, ""));
            }
        }
        return new AnalysisOutcome(request.at(), overall(requests, request.minRequests(), metrics), metrics);
    }

    static Verdict overall(MetricOutcome requests, long minRequests, List<MetricOutcome> metrics) {
        if (minRequests > 0 && requests.verdict() != Verdict.PASS) {
            return Verdict.INCONCLUSIVE;
        }
        if (metrics.stream().anyMatch(m -> m.verdict() == Verdict.FAIL)) {
            return Verdict.FAIL;
        }
        if (metrics.stream().anyMatch(m -> m.verdict() == Verdict.INCONCLUSIVE)) {
            return Verdict.INCONCLUSIVE;
        }
        return Verdict.PASS;
    }

    private static MetricOutcome requests(QueryResult r, long min, String window) {
        double count;
        if (r instanceof QueryResult.Failed f) {
            return new MetricOutcome(REQUESTS, null, Verdict.INCONCLUSIVE, f.message());
        } else if (r instanceof QueryResult.Value v) {
            count = v.value();
        } else {
            count = 0; // no series: nothing was ever requested
        }
        String what = format(count) + " requests in the last " + window;
        if (count < min) {
            return new MetricOutcome(REQUESTS, count, Verdict.INCONCLUSIVE,
                    what + "; at least " + min + " needed to judge");
        }
        return new MetricOutcome(REQUESTS, count, Verdict.PASS, what);
    }

    private static MetricOutcome bounded(String name, QueryResult r, Double min, Double max, String unit) {
        if (r instanceof QueryResult.Failed f) {
            return new MetricOutcome(name, null, Verdict.INCONCLUSIVE, f.message());
        }
        if (r instanceof QueryResult.NoData n) {
            return new MetricOutcome(name, null, Verdict.INCONCLUSIVE, "no data: " + n.reason());
        }
        double v = ((QueryResult.Value) r).value();
        // "+Inf ms" rather than "+Infms"
        String value = format(v) + (Double.isInfinite(v) && !unit.isEmpty() ? " " : "") + unit;
        if (min != null && !(v >= min)) {
            return new MetricOutcome(name, v, Verdict.FAIL, value + " is below the minimum " + format(min) + unit);
        }
        if (max != null && !(v <= max)) {
            return new MetricOutcome(name, v, Verdict.FAIL, value + " is above the maximum " + format(max) + unit);
        }
        String bounds;
        if (min != null && max != null) {
            bounds = "within " + format(min) + unit + ".." + format(max) + unit;
        } else if (min != null) {
            bounds = "at least " + format(min) + unit;
        } else if (max != null) {
            bounds = "at most " + format(max) + unit;
        } else {
            bounds = "no bound set";
        }
        return new MetricOutcome(name, v, Verdict.PASS, value + ", " + bounds);
    }

    /** A value for messages: at most 3 decimals, no trailing zeros; +Inf and -Inf as Prometheus writes them. */
    public static String format(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (Double.isNaN(v)) {
            return "NaN";
        }
        BigDecimal d = BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    /** Stops querying once Prometheus was found unreachable. */
    private static final class Runner {
        private final QueryRunner delegate;
        private QueryResult.Failed unreachable;

        Runner(QueryRunner delegate) {
            this.delegate = delegate;
        }

        QueryResult run(String promql) {
            if (unreachable != null) {
                return unreachable;
            }
            QueryResult r;
            try {
                r = delegate.run(promql);
            } catch (RuntimeException e) {
                r = new QueryResult.Failed("query failed: " + e, false);
            }
            if (r == null) {
                r = new QueryResult.Failed("query gave no result", false);
            }
            if (r instanceof QueryResult.Failed f && f.unreachable()) {
                unreachable = f;
            }
            return r;
        }
    }
}
