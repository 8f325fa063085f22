package dev.serin.autopilot.analysis;

import static dev.serin.autopilot.judge.MannWhitneyTest.CANARY;
import static dev.serin.autopilot.judge.MannWhitneyTest.STABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.Compare;
import dev.serin.api.v1alpha1.JudgeSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Compare mode over fake sources: which queries are sent for each side, and how the judge's score decides. */
class CompareAnalysisTest {
    static final Duration WINDOW = Duration.ofMinutes(5);
    static final Duration STEP = Duration.ofSeconds(10);
    static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");
    static final String CANARY_P99 = ComparePromQl.latencyP99("web", "api-canary", "v2", STEP);
    static final String STABLE_P99 = ComparePromQl.latencyP99("web", "api", null, STEP);
    static final String CANARY_SR = ComparePromQl.successRate("web", "api-canary", "v2", STEP);
    static final String STABLE_SR = ComparePromQl.successRate("web", "api", null, STEP);

    /** Range answers by query text (several series each); anything else: no series. */
    static class Ranges implements Comparisons.RangeRunner {
        final Map<String, RangeResult> answers = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        Ranges on(String query, double[]... series) {
            answers.put(query, new RangeResult.Series(List.of(series)));
            return this;
        }

        @Override
        public RangeResult run(String query) {
            asked.add(query);
            return answers.getOrDefault(query, new RangeResult.Series(List.of()));
        }
    }

    static AnalysisSpec spec(Integer minRequests) {
        AnalysisSpec s = new AnalysisSpec();
        s.latencyP99 = new AnalysisSpec.LatencyBound();
        s.latencyP99.compare = new Compare();
        s.latencyP99.compare.allowedIncrease = 1.1;
        s.successRate = new AnalysisSpec.Bound();
        s.successRate.compare = new Compare();
        s.minRequests = minRequests;
        return s;
    }

    static AnalysisOutcome run(AnalysisSpec spec, double requests, Ranges ranges) {
        return Analysis.evaluate(new AnalysisRequest("web", "api-canary", "v2", WINDOW, spec, AT, "api"),
                q -> q.equals(PromQl.requests("web", "api-canary", "v2", WINDOW)) ? new QueryResult.Value(requests)
                        : new QueryResult.NoData("empty result"), ranges);
    }

    static double[] hundreds(int n) {
        double[] v = new double[n];
        Arrays.fill(v, 100);
        return v;
    }

    @Test
    void eachSideIsAskedWithItsOwnWorkloadAtTheStep() {
        assertEquals("histogram_quantile(0.99, sum by (le, pod) (rate(istio_request_duration_milliseconds_bucket"
                + "{reporter=\"destination\",destination_workload_namespace=\"web\",destination_workload=\"api-canary\","
                + "destination_version=\"v2\"}[10s])))", CANARY_P99);
        assertEquals("100 * (1 - ((sum by (pod) (rate(istio_requests_total{reporter=\"destination\","
                + "destination_workload_namespace=\"web\",destination_workload=\"api\",response_code=~\"5..\"}[10s])) or"
                + " sum by (pod) (rate(istio_requests_total{reporter=\"destination\",destination_workload_namespace="
                + "\"web\",destination_workload=\"api\"}[10s])) * 0) / sum by (pod) (rate(istio_requests_total{reporter="
                + "\"destination\",destination_workload_namespace=\"web\",destination_workload=\"api\"}[10s]))))",
                STABLE_SR);
        Ranges r = new Ranges();
        run(spec(null), 1000, r);
        assertEquals(List.of(CANARY_SR, STABLE_SR, CANARY_P99, STABLE_P99), r.asked);

        AnalysisSpec s = spec(null);
        s.queries = List.of(query("errors", "sum by (pod) (rate(errors_total{workload=\"{{workload}}\"}[{{window}}]))"));
        Ranges q = new Ranges();
        run(s, 1000, q);
        assertEquals(List.of("sum by (pod) (rate(errors_total{workload=\"api-canary\"}[10s]))",
                "sum by (pod) (rate(errors_total{workload=\"api\"}[10s]))"), q.asked.subList(4, 6),
                "{{workload}} is each side's workload and {{window}} the step");
    }

    @Test
    void aSlowerCanaryFailsTheJudgeAndAnEqualOnePasses() {
        // latency: canary's two pods hold the CANARY samples, stable's the STABLE ones (R: shift +18.8 [12.7, 24.9])
        Ranges slower = new Ranges()
                .on(CANARY_P99, Arrays.copyOf(CANARY, 12), Arrays.copyOfRange(CANARY, 12, 25))
                .on(STABLE_P99, STABLE)
                .on(CANARY_SR, hundreds(30)).on(STABLE_SR, hundreds(30));
        AnalysisOutcome o = run(spec(null), 1000, slower);
        assertEquals(Verdict.FAIL, o.verdict(), o.summary());
        AnalysisRecord rec = o.toRecord();
        assertEquals("Fail", rec.judgement);
        assertEquals(50.0, rec.score);
        AnalysisRecord.MetricValue p99 = rec.metrics.stream().filter(m -> m.name.equals("latencyP99")).findFirst()
                .orElseThrow();
        assertEquals("High", p99.classification);
        assertEquals("Fail", p99.result);
        assertEquals(25, p99.canarySamples);
        assertEquals(22, p99.stableSamples);
        assertEquals(121.0, p99.canaryMedian);
        assertEquals(121.0, p99.value, "a compared metric's value is the canary's median");
        assertEquals(12.7, p99.interval.lower, 2e-4);
        assertEquals(24.9, p99.interval.upper, 2e-4);
        assertEquals(18.8, p99.estimate, 2e-4);
        AnalysisRecord.MetricValue sr = rec.metrics.stream().filter(m -> m.name.equals("successRate")).findFirst()
                .orElseThrow();
        assertEquals("Pass", sr.classification);
        assertEquals("canary and stable samples are identical", sr.message);

        Ranges equal = new Ranges().on(CANARY_P99, STABLE).on(STABLE_P99, STABLE)
                .on(CANARY_SR, hundreds(30)).on(STABLE_SR, hundreds(30));
        AnalysisOutcome pass = run(spec(null), 1000, equal);
        assertEquals(Verdict.PASS, pass.verdict(), pass.summary());
        assertEquals(100.0, pass.toRecord().score);
    }

    @Test
    void aMarginalScoreHoldsAndAPassScoreOfFiftyPasses() {
        Ranges slower = new Ranges().on(CANARY_P99, CANARY).on(STABLE_P99, STABLE)
                .on(CANARY_SR, hundreds(30)).on(STABLE_SR, hundreds(30));
        AnalysisSpec s = spec(null);
        s.judge = new JudgeSpec();
        s.judge.passScore = 60.0;
        s.judge.marginalScore = 50.0;
        AnalysisOutcome o = run(s, 1000, slower);
        assertEquals(Verdict.INCONCLUSIVE, o.verdict(), "marginal: the step holds, nothing counts as a failure");
        assertEquals("Marginal", o.toRecord().judgement);
        assertEquals("judge: score 50 (1 of 2 metrics pass; latencyP99 High), marginal: below passScore 60, at least"
                + " marginalScore 50; the step holds", o.summary());
        s.judge.passScore = 50.0;
        assertEquals(Verdict.PASS, run(s, 1000, slower).verdict());
        s.latencyP99.compare.critical = true;
        assertEquals(Verdict.FAIL, run(s, 1000, slower).verdict(), "a critical High fails whatever the score");
    }

    @Test
    void tooFewSamplesOrRequestsHoldWithoutJudging() {
        double[] sparse = Arrays.copyOf(CANARY, 30);
        Arrays.fill(sparse, 8, 30, Double.NaN); // 8 steps with requests, 22 without
        Ranges few = new Ranges().on(CANARY_P99, sparse).on(STABLE_P99, STABLE)
                .on(CANARY_SR, hundreds(30)).on(STABLE_SR, hundreds(30));
        AnalysisOutcome o = run(spec(null), 1000, few);
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertNull(o.toRecord().score);
        assertEquals("Inconclusive", o.toRecord().judgement);
        assertEquals("judge: no judgement yet: latencyP99 (too few samples: canary 8, stable 22; at least 20 each"
                + " needed to judge)", o.summary());

        Ranges enough = new Ranges().on(CANARY_P99, CANARY).on(STABLE_P99, STABLE)
                .on(CANARY_SR, hundreds(30)).on(STABLE_SR, hundreds(30));
        AnalysisOutcome gated = run(spec(500), 120, enough);
        assertEquals(Verdict.INCONCLUSIVE, gated.verdict(), "a High is not acted on below minRequests");
        assertEquals("requests: 120 requests in the last 5m; at least 500 needed to judge; judge: no judgement yet:"
                + " 120 requests in the last 5m; at least 500 needed to judge", gated.summary());
        assertEquals(Verdict.FAIL, run(spec(500), 500, enough).verdict());
    }

    @Test
    void fixedBoundsAndComparisonsTogether() {
        AnalysisSpec s = spec(null);
        s.successRate = new AnalysisSpec.Bound();
        s.successRate.min = 99.0; // fixed: instant query, no data -> inconclusive
        Ranges equal = new Ranges().on(CANARY_P99, STABLE).on(STABLE_P99, STABLE);
        AnalysisOutcome o = run(s, 1000, equal);
        assertEquals(Verdict.INCONCLUSIVE, o.verdict(), "the fixed metric has no data");
        assertEquals(List.of(CANARY_P99, STABLE_P99), equal.asked);
        assertEquals("Pass", o.toRecord().judgement);
    }

    @Test
    void withoutAStableWorkloadOrRangeQueriesNothingIsJudged() {
        AnalysisOutcome o = Analysis.evaluate(new AnalysisRequest("web", "api-canary", "v2", WINDOW, spec(null), AT),
                q -> new QueryResult.Value(1000));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertEquals("no stable workload to compare with",
                o.metrics().stream().filter(m -> m.name().equals("latencyP99")).findFirst().orElseThrow().message());
        AnalysisOutcome noRange = Analysis.evaluate(new AnalysisRequest("web", "api-canary", "v2", WINDOW, spec(null), AT,
                "api"), q -> new QueryResult.Value(1000));
        assertEquals("canary: comparing with the stable version needs range queries, which this source does not run",
                noRange.metrics().get(1).message());
    }

    @Test
    void anUnreachablePrometheusIsNotAskedForRanges() {
        Ranges r = new Ranges();
        AnalysisOutcome o = Analysis.evaluate(new AnalysisRequest("web", "api-canary", "v2", WINDOW, spec(null), AT,
                "api"), q -> new QueryResult.Failed("cannot reach Prometheus at http://p:9090: ConnectException", true), r);
        assertEquals(List.of(), r.asked);
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertEquals("canary: cannot reach Prometheus at http://p:9090: ConnectException", o.metrics().get(1).message());
    }

    static AnalysisSpec.Query query(String name, String q) {
        AnalysisSpec.Query x = new AnalysisSpec.Query();
        x.name = name;
        x.query = q;
        x.compare = new Compare();
        return x;
    }
}
