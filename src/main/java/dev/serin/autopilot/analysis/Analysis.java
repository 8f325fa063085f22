package dev.serin.autopilot.analysis;

import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.autopilot.judge.Comparison;
import dev.serin.autopilot.judge.Scorecard;
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
 *   <li>Where Istio's metrics do not count the canary's traffic ({@link AnalysisRequest#withoutIstioMetrics}), the
 *       built-in metrics are INCONCLUSIVE with that message, unqueried ({@code requests} only reported when
 *       {@code minRequests} asks for a count); the user's queries are judged as ever.
 *   <li>Metrics with {@code compare} are judged against the stable workload ({@link Comparisons}): the judge's score
 *       FAIL fails the analysis; MARGINAL, or too few samples on a side, makes it INCONCLUSIVE.
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
        return evaluate(request, runner, q -> new RangeResult.Failed(
                "comparing with the stable version needs range queries, which this source does not run", false));
    }

    /**
     * As {@link #evaluate(AnalysisRequest, QueryRunner)}, with the metrics that carry {@code compare} judged against
     * the stable workload from range queries at the judge's step ({@link Comparisons}); the analysis' verdict then
     * also follows the judge's score.
     */
    public static AnalysisOutcome evaluate(AnalysisRequest request, QueryRunner runner, Comparisons.RangeRunner range) {
        var run = new StopWhenUnreachable<QueryResult>(runner::run, m -> new QueryResult.Failed(m, false),
                r -> r instanceof QueryResult.Failed f && f.unreachable());
        AnalysisSpec spec = request.spec();
        String ns = request.namespace();
        String wl = request.workload();
        String ver = request.version();
        String stable = request.stableWorkload();
        String window = PromQl.duration(request.window());
        JudgeSettings judge = JudgeSettings.of(spec);
        List<MetricOutcome> metrics = new ArrayList<>();
        List<Comparisons.Compared> compared = new ArrayList<>();

        String noIstio = request.withoutIstioMetrics();
        MetricOutcome requests = noIstio != null ? withoutIstio(REQUESTS, noIstio)
                : requests(run.run(PromQl.requests(ns, wl, ver, request.window())), request.minRequests(), window);
        if (noIstio == null || request.minRequests() > 0) { // without minRequests the count decides nothing
            metrics.add(requests);
        }

        if (noIstio != null) {
            if (spec.successRate != null) {
                metrics.add(withoutIstio(SUCCESS_RATE, noIstio));
            }
            if (spec.latencyP99 != null) {
                metrics.add(withoutIstio(LATENCY_P99, noIstio));
            }
        } else {
            builtIns(request, run::run, judge, metrics, compared);
        }
        if (spec.queries != null) {
            for (int i = 0; i < spec.queries.size(); i++) {
                AnalysisSpec.Query q = spec.queries.get(i);
                String name = queryName(q, i);
                if (q == null || q.query == null || q.query.isBlank()) {
                    metrics.add(new MetricOutcome(name, null, Verdict.INCONCLUSIVE, "no query given"));
                    continue;
                }
                if (q.compare != null) {
                    // {{window}} is then the step: each sample covers one step
                    compared.add(new Comparisons.Compared(name,
                            JudgeSettings.comparison(q.compare, Comparison.Direction.EITHER),
                            PromQl.expand(q.query, ns, wl, ver, judge.step()),
                            stable == null ? null : PromQl.expand(q.query, ns, stable, null, judge.step())));
                    continue;
                }
                String promql = PromQl.expand(q.query, ns, wl, ver, request.window());
                metrics.add(bounded(name, run.run(promql), q.min, q.max, ""));
            }
        }
        // a Prometheus found unreachable by an instant query is not asked for ranges either
        metrics.addAll(Comparisons.judge(compared, q -> run.down()
                .<RangeResult>map(down -> new RangeResult.Failed(((QueryResult.Failed) down).message(), true))
                .orElseGet(() -> range.run(q)), judge));
        Scorecard.Score score = Comparisons.score(metrics, judge, gate(requests, request.minRequests()));
        return new AnalysisOutcome(request.at(), overall(requests, request.minRequests(), metrics, score), metrics,
                score);
    }

    /** successRate and latencyP99 from Istio's metrics: held to their bounds, or compared with the stable version. */
    private static void builtIns(AnalysisRequest request, QueryRunner run, JudgeSettings judge,
            List<MetricOutcome> metrics, List<Comparisons.Compared> compared) {
        AnalysisSpec spec = request.spec();
        String ns = request.namespace();
        String wl = request.workload();
        String ver = request.version();
        String stable = request.stableWorkload();
        if (spec.successRate != null && spec.successRate.compare != null) {
            compared.add(new Comparisons.Compared(SUCCESS_RATE,
                    JudgeSettings.comparison(spec.successRate.compare, Comparison.Direction.DECREASE),
                    ComparePromQl.successRate(ns, wl, ver, judge.step()),
                    stable == null ? null : ComparePromQl.successRate(ns, stable, null, judge.step())));
        } else if (spec.successRate != null) {
            metrics.add(bounded(SUCCESS_RATE, run.run(PromQl.successRate(ns, wl, ver, request.window())),
                    spec.successRate.min, spec.successRate.max, "%"));
        }
        if (spec.latencyP99 != null && spec.latencyP99.compare != null) {
            compared.add(new Comparisons.Compared(LATENCY_P99,
                    JudgeSettings.comparison(spec.latencyP99.compare, Comparison.Direction.INCREASE),
                    ComparePromQl.latencyP99(ns, wl, ver, judge.step()),
                    stable == null ? null : ComparePromQl.latencyP99(ns, stable, null, judge.step())));
        } else if (spec.latencyP99 != null) {
            metrics.add(bounded(LATENCY_P99, run.run(PromQl.latencyP99(ns, wl, ver, request.window())),
                    null, spec.latencyP99.maxMs, "ms"));
        }
    }

    /** A query's name in status: its own, else queries[i]. */
    public static String queryName(AnalysisSpec.Query q, int i) {
        return q == null || q.name == null || q.name.isBlank() ? "queries[" + i + "]" : q.name;
    }

    /** Why nothing may be judged yet: fewer requests than minRequests (or their count unknown); null when judged. */
    static String gate(MetricOutcome requests, long minRequests) {
        return minRequests > 0 && requests.verdict() != Verdict.PASS ? requests.message() : null;
    }

    static Verdict overall(MetricOutcome requests, long minRequests, List<MetricOutcome> metrics) {
        return overall(requests, minRequests, metrics, null);
    }

    /**
     * Too few requests: INCONCLUSIVE. Then FAIL when a metric with fixed bounds fails or the judge fails; INCONCLUSIVE
     * when a fixed metric has no data or the judge is not PASS (marginal, or too few samples); else PASS. A compared
     * metric's own High or Low counts only through the judge's score.
     */
    static Verdict overall(MetricOutcome requests, long minRequests, List<MetricOutcome> metrics, Scorecard.Score score) {
        if (gate(requests, minRequests) != null) {
            return Verdict.INCONCLUSIVE;
        }
        List<MetricOutcome> fixed = metrics.stream().filter(m -> !m.compared()).toList();
        if (fixed.stream().anyMatch(m -> m.verdict() == Verdict.FAIL)
                || score != null && score.result() == Scorecard.Result.FAIL) {
            return Verdict.FAIL;
        }
        if (fixed.stream().anyMatch(m -> m.verdict() == Verdict.INCONCLUSIVE)
                || score != null && score.result() != Scorecard.Result.PASS) {
            return Verdict.INCONCLUSIVE;
        }
        return Verdict.PASS;
    }

    /** A built-in metric of Istio's that cannot be measured for this canary: inconclusive, as one without data. */
    static MetricOutcome withoutIstio(String name, String why) {
        return new MetricOutcome(name, null, Verdict.INCONCLUSIVE, why);
    }

    static MetricOutcome requests(QueryResult r, long min, String window) {
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

    static MetricOutcome bounded(String name, QueryResult r, Double min, Double max, String unit) {
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
}
