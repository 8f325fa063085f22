package dev.serin.autopilot.analysis;

import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.autopilot.judge.Comparison;
import dev.serin.autopilot.judge.Scorecard;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict rules of {@link Analysis} over Datadog metric queries. There are no built-in metrics (successRate and
 * latencyP99 read Istio's Prometheus metrics, and the CRD refuses them beside datadog): {@code requests} is the sum
 * of {@link #requests} over the window, each {@code queries[]} item is the user's Datadog query with the placeholders
 * {@code {{namespace}}}, {@code {{workload}}} and {@code {{version}}} — its average over the window against min/max,
 * or with {@code compare} its buckets of one judge step for the canary and for stable.
 */
final class DatadogAnalysis {
    /** What one analysis may ask Datadog, its window already bound. Must not throw. */
    interface Queries {
        QueryResult scalar(String query, String aggregator);

        RangeResult timeseries(String query);
    }

    private DatadogAnalysis() {
    }

    /** The canary's requests as Datadog's Istio integration (OpenMetrics V2) counts them. */
    static String requests(String namespace, String workload, String version) {
        return "sum:istio.mesh.request.count.total{reporter:destination,destination_workload_namespace:" + namespace
                + ",destination_workload:" + workload
                + (version == null || version.isBlank() ? "" : ",destination_version:" + version) + "}.as_count()";
    }

    static AnalysisOutcome evaluate(AnalysisRequest request, Queries queries) {
        AnalysisSpec spec = request.spec();
        String ns = request.namespace();
        String wl = request.workload();
        String ver = request.version();
        String stable = request.stableWorkload();
        JudgeSettings judge = JudgeSettings.of(spec);
        Guard guard = new Guard();
        List<MetricOutcome> metrics = new ArrayList<>();
        List<Comparisons.Compared> compared = new ArrayList<>();

        String noIstio = request.withoutIstioMetrics(); // the count is Istio's too: as in Analysis
        MetricOutcome requests;
        if (noIstio != null) {
            requests = Analysis.withoutIstio(Analysis.REQUESTS, noIstio);
        } else {
            QueryResult count = guard.run(() -> queries.scalar(requests(ns, wl, ver), "sum"));
            if (count instanceof QueryResult.NoData n) { // Datadog's "no data" may be a missing integration: not 0
                count = new QueryResult.Failed("no data: " + n.reason(), false);
            }
            requests = Analysis.requests(count, request.minRequests(), PromQl.duration(request.window()));
        }
        if (noIstio == null || request.minRequests() > 0) {
            metrics.add(requests);
        }
        if (spec.queries != null) {
            for (int i = 0; i < spec.queries.size(); i++) {
                AnalysisSpec.Query q = spec.queries.get(i);
                String name = Analysis.queryName(q, i);
                if (q == null || q.query == null || q.query.isBlank()) {
                    metrics.add(new MetricOutcome(name, null, Verdict.INCONCLUSIVE, "no query given"));
                } else if (q.compare != null) {
                    compared.add(new Comparisons.Compared(name,
                            JudgeSettings.comparison(q.compare, Comparison.Direction.EITHER),
                            PromQl.expand(q.query, ns, wl, ver, judge.step()),
                            stable == null ? null : PromQl.expand(q.query, ns, stable, null, judge.step())));
                } else {
                    String query = PromQl.expand(q.query, ns, wl, ver, request.window());
                    metrics.add(Analysis.bounded(name, guard.run(() -> queries.scalar(query, "avg")), q.min, q.max, ""));
                }
            }
        }
        metrics.addAll(Comparisons.judge(compared, q -> guard.unreachable != null
                ? new RangeResult.Failed(guard.unreachable.message(), true) : queries.timeseries(q), judge));
        Scorecard.Score score = Comparisons.score(metrics, judge, Analysis.gate(requests, request.minRequests()));
        return new AnalysisOutcome(request.at(), Analysis.overall(requests, request.minRequests(), metrics, score),
                metrics, score);
    }

    /** Stops asking once Datadog was found unreachable (or rate-limited). */
    private static final class Guard {
        private QueryResult.Failed unreachable;

        QueryResult run(java.util.function.Supplier<QueryResult> query) {
            if (unreachable != null) {
                return unreachable;
            }
            QueryResult r;
            try {
                r = query.get();
            } catch (RuntimeException e) {
                r = new QueryResult.Failed("query failed: " + e, false);
            }
            if (r instanceof QueryResult.Failed f && f.unreachable()) {
                unreachable = f;
            }
            return r;
        }
    }
}
