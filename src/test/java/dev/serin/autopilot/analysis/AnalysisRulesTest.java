package dev.serin.autopilot.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.AnalysisSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict rules, with a fake query runner that answers by query text. */
class AnalysisRulesTest {
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final Instant AT = Instant.parse("2025-06-01T12:00:00.750Z");
    static final String REQ = PromQl.requests("web", "api-canary", "v2", WINDOW);
    static final String SR = PromQl.successRate("web", "api-canary", "v2", WINDOW);
    static final String P99 = PromQl.latencyP99("web", "api-canary", "v2", WINDOW);

    /** Answers from a map; anything else is an empty result. Records what was asked. */
    static class Fake implements Analysis.QueryRunner {
        final Map<String, QueryResult> answers = new HashMap<>();
        final List<String> asked = new ArrayList<>();

        Fake on(String query, QueryResult r) {
            answers.put(query, r);
            return this;
        }

        Fake on(String query, double v) {
            return on(query, new QueryResult.Value(v));
        }

        @Override
        public QueryResult run(String promql) {
            asked.add(promql);
            return answers.getOrDefault(promql, new QueryResult.NoData("empty result"));
        }
    }

    static AnalysisSpec spec(Double minSuccess, Double maxP99, Integer minRequests) {
        AnalysisSpec s = new AnalysisSpec();
        s.prometheus = "http://prometheus:9090";
        if (minSuccess != null) {
            s.successRate = new AnalysisSpec.Bound();
            s.successRate.min = minSuccess;
        }
        if (maxP99 != null) {
            s.latencyP99 = new AnalysisSpec.LatencyBound();
            s.latencyP99.maxMs = maxP99;
        }
        s.minRequests = minRequests;
        return s;
    }

    static AnalysisSpec.Query query(String name, String q, Double min, Double max) {
        AnalysisSpec.Query x = new AnalysisSpec.Query();
        x.name = name;
        x.query = q;
        x.min = min;
        x.max = max;
        return x;
    }

    static AnalysisOutcome run(AnalysisSpec spec, Fake fake) {
        return Analysis.evaluate(new AnalysisRequest("web", "api-canary", "v2", WINDOW, spec, AT), fake);
    }

    static MetricOutcome metric(AnalysisOutcome o, String name) {
        return o.metrics().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void healthyCanaryPasses() {
        AnalysisOutcome o = run(spec(99.0, 500.0, 100), new Fake().on(REQ, 1200).on(SR, 99.9).on(P99, 120));
        assertEquals(Verdict.PASS, o.verdict());
        assertEquals(AT, o.time());
        assertEquals(List.of(Analysis.REQUESTS, Analysis.SUCCESS_RATE, Analysis.LATENCY_P99),
                o.metrics().stream().map(MetricOutcome::name).toList());
        assertEquals(new MetricOutcome("requests", 1200.0, Verdict.PASS, "1200 requests in the last 1m"),
                metric(o, "requests"));
        assertEquals(new MetricOutcome("successRate", 99.9, Verdict.PASS, "99.9%, at least 99%"),
                metric(o, "successRate"));
        assertEquals(new MetricOutcome("latencyP99", 120.0, Verdict.PASS, "120ms, at most 500ms"),
                metric(o, "latencyP99"));
        assertEquals("all checks passed", o.summary());
    }

    @Test
    void boundsAreInclusive() {
        assertEquals(Verdict.PASS, run(spec(99.0, 500.0, 100), new Fake().on(REQ, 100).on(SR, 99).on(P99, 500))
                .verdict());
    }

    @Test
    void tooFewRequestsIsInconclusiveEvenWhenAMetricFails() {
        AnalysisOutcome o = run(spec(99.0, 500.0, 100), new Fake().on(REQ, 12.5).on(SR, 50).on(P99, 900));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertEquals(new MetricOutcome("requests", 12.5, Verdict.INCONCLUSIVE,
                "12.5 requests in the last 1m; at least 100 needed to judge"), metric(o, "requests"));
        // values and their own verdicts are still reported
        assertEquals(Verdict.FAIL, metric(o, "successRate").verdict());
        assertEquals(50.0, metric(o, "successRate").value());
        assertEquals(Verdict.FAIL, metric(o, "latencyP99").verdict());
        assertTrue(o.summary().contains("at least 100 needed"), o.summary());
    }

    @Test
    void noRequestSeriesCountsAsZero() {
        AnalysisOutcome o = run(spec(99.0, null, 1), new Fake());
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertEquals(0.0, metric(o, "requests").value());
        assertEquals(Verdict.INCONCLUSIVE, metric(o, "requests").verdict());

        // minRequests unset: any count is enough, but success rate without traffic has no data
        o = run(spec(99.0, null, null), new Fake());
        assertEquals(new MetricOutcome("requests", 0.0, Verdict.PASS, "0 requests in the last 1m"),
                metric(o, "requests"));
        assertEquals(new MetricOutcome("successRate", null, Verdict.INCONCLUSIVE, "no data: empty result"),
                metric(o, "successRate"));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
    }

    @Test
    void lowSuccessRateFails() {
        AnalysisOutcome o = run(spec(99.0, 500.0, 10), new Fake().on(REQ, 1000).on(SR, 95.5).on(P99, 100));
        assertEquals(Verdict.FAIL, o.verdict());
        assertEquals(new MetricOutcome("successRate", 95.5, Verdict.FAIL, "95.5% is below the minimum 99%"),
                metric(o, "successRate"));
        assertEquals("successRate: 95.5% is below the minimum 99%", o.summary());
    }

    @Test
    void successRateMaxIsHonouredToo() {
        AnalysisSpec s = spec(90.0, null, null);
        s.successRate.max = 99.0;
        AnalysisOutcome o = run(s, new Fake().on(REQ, 1000).on(SR, 100));
        assertEquals(Verdict.FAIL, o.verdict());
        assertEquals("100% is above the maximum 99%", metric(o, "successRate").message());
    }

    @Test
    void infiniteLatencyIsARealFailingValue() {
        AnalysisOutcome o = run(spec(null, 500.0, null),
                new Fake().on(REQ, 1000).on(P99, Double.POSITIVE_INFINITY));
        assertEquals(Verdict.FAIL, o.verdict());
        assertEquals("+Inf ms is above the maximum 500ms", metric(o, "latencyP99").message());
        // JSON has no infinity: status leaves the value out, the message keeps it
        AnalysisRecord.MetricValue v = o.toRecord().metrics.get(1);
        assertNull(v.value);
        assertEquals("Fail", v.result);
    }

    @Test
    void noDataIsInconclusiveUnlessSomethingElseFails() {
        Fake nan = new Fake().on(REQ, 1000).on(SR, new QueryResult.NoData("NaN (no data in the window)")).on(P99, 10);
        AnalysisOutcome o = run(spec(99.0, 500.0, null), nan);
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertEquals(new MetricOutcome("successRate", null, Verdict.INCONCLUSIVE,
                "no data: NaN (no data in the window)"), metric(o, "successRate"));

        o = run(spec(99.0, 5.0, null), nan);
        assertEquals(Verdict.FAIL, o.verdict());
        assertEquals(Verdict.INCONCLUSIVE, metric(o, "successRate").verdict());
    }

    @Test
    void anErrorAnswerIsInconclusiveNeverPass() {
        Fake fake = new Fake().on(REQ, 1000).on(SR, 100)
                .on(P99, new QueryResult.Failed("Prometheus error (HTTP 503, timeout): query timed out", false));
        AnalysisOutcome o = run(spec(99.0, 500.0, null), fake);
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertEquals(new MetricOutcome("latencyP99", null, Verdict.INCONCLUSIVE,
                "Prometheus error (HTTP 503, timeout): query timed out"), metric(o, "latencyP99"));
        assertEquals(3, fake.asked.size(), "an error answer does not stop the other queries");
    }

    @Test
    void aFailedRequestCountWithMinRequestsIsInconclusive() {
        Fake fake = new Fake().on(REQ, new QueryResult.Failed("HTTP 502: bad gateway", false)).on(SR, 10);
        AnalysisOutcome o = run(spec(99.0, null, 5), fake);
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertEquals(new MetricOutcome("requests", null, Verdict.INCONCLUSIVE, "HTTP 502: bad gateway"),
                metric(o, "requests"));
    }

    @Test
    void unreachablePrometheusIsAskedOnceAndIsInconclusive() {
        QueryResult.Failed down = new QueryResult.Failed("cannot reach Prometheus at http://p:9090: ConnectException",
                true);
        Fake fake = new Fake().on(REQ, down);
        AnalysisSpec s = spec(99.0, 500.0, null);
        s.queries = List.of(query("errors", "sum(x)", null, 1.0));
        AnalysisOutcome o = run(s, fake);
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertEquals(List.of(REQ), fake.asked);
        for (MetricOutcome m : o.metrics()) {
            assertEquals(Verdict.INCONCLUSIVE, m.verdict(), m.name());
            assertNull(m.value(), m.name());
            assertEquals(down.message(), m.message(), m.name());
        }
    }

    @Test
    void aRunnerThatThrowsIsInconclusive() {
        AnalysisOutcome o = run(spec(99.0, null, null), new Fake() {
            @Override
            public QueryResult run(String promql) {
                throw new IllegalStateException("boom");
            }
        });
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertTrue(metric(o, "successRate").message().contains("boom"));
    }

    @Test
    void userQueriesAreExpandedAndCompared() {
        AnalysisSpec s = spec(null, null, null);
        s.queries = List.of(
                query("errors", "sum(increase(app_errors_total{namespace=\"{{namespace}}\",pod=~\"{{workload}}-.*\"}"
                        + "[{{window}}]))", null, 5.0),
                query("saturation", "max(cpu)", 0.1, 0.8),
                query("info", "vector(1)", null, null),
                query("empty", "absent_metric", null, 1.0),
                query(null, " ", null, 1.0));
        Fake fake = new Fake().on(REQ, 100)
                .on("sum(increase(app_errors_total{namespace=\"web\",pod=~\"api-canary-.*\"}[1m]))", 7)
                .on("max(cpu)", 0.5)
                .on("vector(1)", 1);
        AnalysisOutcome o = run(s, fake);
        assertEquals(Verdict.FAIL, o.verdict());
        assertEquals(new MetricOutcome("errors", 7.0, Verdict.FAIL, "7 is above the maximum 5"), metric(o, "errors"));
        assertEquals(new MetricOutcome("saturation", 0.5, Verdict.PASS, "0.5, within 0.1..0.8"),
                metric(o, "saturation"));
        assertEquals(new MetricOutcome("info", 1.0, Verdict.PASS, "1, no bound set"), metric(o, "info"));
        assertEquals(new MetricOutcome("empty", null, Verdict.INCONCLUSIVE, "no data: empty result"),
                metric(o, "empty"));
        assertEquals(new MetricOutcome("queries[4]", null, Verdict.INCONCLUSIVE, "no query given"),
                metric(o, "queries[4]"));
        // the blank query is not sent
        assertEquals(5, fake.asked.size());
    }

    @Test
    void userQueryBelowMinFails() {
        AnalysisSpec s = spec(null, null, null);
        s.queries = List.of(query("throughput", "sum(rate(x[1m]))", 10.0, null));
        AnalysisOutcome o = run(s, new Fake().on(REQ, 100).on("sum(rate(x[1m]))", 2.25));
        assertEquals(Verdict.FAIL, o.verdict());
        assertEquals("2.25 is below the minimum 10", metric(o, "throughput").message());
    }

    @Test
    void outcomeBecomesAStatusRecord() {
        AnalysisOutcome o = run(spec(99.0, 500.0, 100), new Fake().on(REQ, 1000).on(SR, 98.0));
        AnalysisRecord r = o.toRecord();
        assertEquals("2025-06-01T12:00:00Z", r.time);
        assertEquals("Fail", r.result);
        assertEquals(3, r.metrics.size());
        assertEquals("requests", r.metrics.get(0).name);
        assertEquals(1000.0, r.metrics.get(0).value);
        assertEquals("Pass", r.metrics.get(0).result);
        assertEquals("successRate", r.metrics.get(1).name);
        assertEquals(98.0, r.metrics.get(1).value);
        assertEquals("Fail", r.metrics.get(1).result);
        assertEquals("98% is below the minimum 99%", r.metrics.get(1).message);
        assertEquals("latencyP99", r.metrics.get(2).name);
        assertNull(r.metrics.get(2).value);
        assertEquals("Inconclusive", r.metrics.get(2).result);
        assertEquals("Pass", Verdict.PASS.statusValue());
        assertEquals("Inconclusive", Verdict.INCONCLUSIVE.statusValue());
    }

    static final String NO_ISTIO = "no Istio metrics: HTTPRoute api (gateway.envoyproxy.io/gatewayclass-controller) is"
            + " implemented by another than Istio, and Serin measures Istio's istio_requests_total";

    @Test
    void withoutIstioMetricsTheBuiltInsAreInconclusiveUnaskedAndTheUsersQueriesAreJudged() {
        AnalysisSpec s = spec(99.0, 500.0, 50);
        AnalysisSpec.Query errors = new AnalysisSpec.Query();
        errors.name = "envoyErrors";
        errors.query = "sum(rate(envoy_errors{workload=\"{{workload}}\"}[{{window}}]))";
        errors.max = 1.0;
        s.queries = List.of(errors);
        String asked = PromQl.expand(errors.query, "web", "api-canary", "v2", WINDOW);
        Fake fake = new Fake().on(asked, 0.5);
        AnalysisOutcome o = Analysis.evaluate(new AnalysisRequest("web", "api-canary", "v2", WINDOW, s, AT, "api",
                NO_ISTIO), fake);
        assertEquals(List.of(asked), fake.asked, "nothing of Istio's is asked");
        assertEquals(Verdict.INCONCLUSIVE, o.verdict(), "the step holds; no failure counted");
        assertEquals(List.of("requests", "successRate", "latencyP99", "envoyErrors"),
                o.metrics().stream().map(MetricOutcome::name).toList());
        assertEquals(NO_ISTIO, o.metrics().get(1).message());
        assertEquals(Verdict.PASS, o.metrics().get(3).verdict());

        // the user's own queries alone (no minRequests): they decide, as before
        AnalysisSpec own = spec(null, null, null);
        own.queries = List.of(errors);
        o = Analysis.evaluate(new AnalysisRequest("web", "api-canary", "v2", WINDOW, own, AT, "api", NO_ISTIO),
                new Fake().on(asked, 0.5));
        assertEquals(Verdict.PASS, o.verdict(), o.summary());
        assertEquals(List.of("envoyErrors"), o.metrics().stream().map(MetricOutcome::name).toList());
        o = Analysis.evaluate(new AnalysisRequest("web", "api-canary", "v2", WINDOW, own, AT, "api", NO_ISTIO),
                new Fake().on(asked, 3));
        assertEquals(Verdict.FAIL, o.verdict(), o.summary());
    }

    @Test
    void withoutIstioMetricsDatadogsRequestsAreNotAskedEither() {
        AnalysisSpec s = spec(null, null, 50);
        AnalysisSpec.Query errors = new AnalysisSpec.Query();
        errors.name = "errors";
        errors.query = "avg:envoy.errors{workload:{{workload}}}";
        errors.max = 1.0;
        s.queries = List.of(errors);
        List<String> asked = new ArrayList<>();
        DatadogAnalysis.Queries queries = new DatadogAnalysis.Queries() {
            @Override
            public QueryResult scalar(String query, String aggregator) {
                asked.add(query);
                return new QueryResult.Value(0.5);
            }

            @Override
            public RangeResult timeseries(String query) {
                throw new AssertionError("no comparison here");
            }
        };
        AnalysisOutcome o = DatadogAnalysis.evaluate(new AnalysisRequest("web", "api-canary", "v2", WINDOW, s, AT,
                "api", NO_ISTIO), queries);
        assertEquals(List.of("avg:envoy.errors{workload:api-canary}"), asked, "Istio's count is not asked");
        assertEquals(Verdict.INCONCLUSIVE, o.verdict(), "minRequests asks for a count there is none of");
        assertEquals(NO_ISTIO, o.metrics().get(0).message());
    }
}
