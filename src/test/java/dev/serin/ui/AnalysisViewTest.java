package dev.serin.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.CanaryStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisViewTest {

    @Test
    void eachMetricStandsBesideItsBound() {
        AnalysisSpec spec = new AnalysisSpec();
        spec.minRequests = 100;
        spec.successRate = new AnalysisSpec.Bound();
        spec.successRate.min = 99.0;
        spec.latencyP99 = new AnalysisSpec.LatencyBound();
        spec.latencyP99.maxMs = 500.0;
        AnalysisSpec.Query errors = new AnalysisSpec.Query();
        errors.name = "errors";
        errors.min = 0.0;
        errors.max = 2.5;
        AnalysisSpec.Query unnamed = new AnalysisSpec.Query();
        unnamed.max = 7.0;
        spec.queries = List.of(errors, unnamed);

        Canary canary = canary(spec, record("Fail", metric("requests", 480.0, "Pass"), metric("successRate", 91.2, "Fail"),
                metric("latencyP99", 120.0, "Pass"), metric("errors", 1.0, "Pass"), metric("queries[1]", 3.0, "Pass"),
                metric("unknown", 1.0, "Pass")));

        List<AnalysisView> views = AnalysisView.of(canary);
        assertEquals(1, views.size());
        assertEquals("Fail", views.get(0).result());
        assertEquals(List.of(">= 100", ">= 99 %", "<= 500 ms", "0 .. 2.5", "<= 7", "none"),
                views.get(0).metrics().stream().map(m -> m.bound() == null ? "none" : m.bound()).toList());
        assertEquals(91.2, views.get(0).metrics().get(1).value());
        assertEquals("Fail", views.get(0).metrics().get(1).result());
    }

    /** Issue 19: the table printed 5959.6551724137935 requests and 85.62215909090904 ms. */
    @Test
    void valuesAreRoundedAsTheStatusMessagesRoundThem() {
        Canary canary = canary(null, record("Pass", metric("requests", 5959.6551724137935, "Pass"),
                metric("latencyP99", 85.62215909090904, "Pass"), metric("successRate", 99.5, "Pass"),
                metric("errors", 2.0, "Pass"), metric("latencyP99", null, "Inconclusive")));
        assertEquals(java.util.Arrays.asList("5959.655", "85.622 ms", "99.5 %", "2", null),
                AnalysisView.of(canary).get(0).metrics().stream().map(AnalysisView.Metric::formatted).toList());
    }

    @Test
    void aComparedMetricShowsItsBasisAndTheJudgesScore() {
        AnalysisSpec spec = new AnalysisSpec();
        spec.latencyP99 = new AnalysisSpec.LatencyBound();
        spec.latencyP99.compare = new dev.serin.api.v1alpha1.Compare();
        spec.latencyP99.compare.allowedIncrease = 1.1;
        spec.latencyP99.compare.critical = true;
        spec.successRate = new AnalysisSpec.Bound();
        spec.successRate.compare = new dev.serin.api.v1alpha1.Compare();
        AnalysisRecord.MetricValue p99 = metric("latencyP99", 130.0, "Fail");
        p99.classification = "High";
        p99.canarySamples = 30;
        p99.stableSamples = 28;
        p99.canaryMedian = 130.0;
        p99.stableMedian = 100.0;
        p99.effectSize = 1.3;
        p99.estimate = 30.0;
        p99.interval = new AnalysisRecord.Interval();
        p99.interval.lower = 25.0;
        p99.interval.upper = 35.0;
        AnalysisRecord r = record("Fail", metric("successRate", 100.0, "Pass"), p99);
        r.score = 0.0;
        r.judgement = "Fail";

        AnalysisView view = AnalysisView.of(canary(spec, r)).get(0);
        assertEquals(0.0, view.score());
        assertEquals("Fail", view.judgement());
        assertEquals("vs stable: decrease", view.metrics().get(0).bound());
        AnalysisView.Metric m = view.metrics().get(1);
        assertEquals("vs stable: increase, allowed x1.1, critical", m.bound());
        assertEquals("High", m.classification());
        assertEquals(List.of(30, 28), List.of(m.canarySamples(), m.stableSamples()));
        assertEquals(List.of(130.0, 100.0, 1.3, 30.0, 25.0, 35.0), List.of(m.canaryMedian(), m.stableMedian(),
                m.effectSize(), m.estimate(), m.intervalLower(), m.intervalUpper()));
    }

    @Test
    void noAnalysisNoAutopilot() {
        Canary canary = canary(null, record("Inconclusive", metric("requests", 3.0, "Inconclusive")));
        assertEquals(null, AnalysisView.of(canary).get(0).metrics().get(0).bound());
        canary.getStatus().analysis = null;
        assertEquals(List.of(), AnalysisView.of(canary));
    }

    private static Canary canary(AnalysisSpec analysis, AnalysisRecord... records) {
        Canary c = new Canary();
        c.setSpec(new CanarySpec());
        if (analysis != null) {
            c.getSpec().autopilot = new AutopilotSpec();
            c.getSpec().autopilot.analysis = analysis;
        }
        c.setStatus(new CanaryStatus());
        c.getStatus().analysis = List.of(records);
        return c;
    }

    private static AnalysisRecord record(String result, AnalysisRecord.MetricValue... metrics) {
        AnalysisRecord r = new AnalysisRecord();
        r.time = "2026-01-01T10:05:00Z";
        r.result = result;
        r.metrics = List.of(metrics);
        return r;
    }

    private static AnalysisRecord.MetricValue metric(String name, Double value, String result) {
        AnalysisRecord.MetricValue m = new AnalysisRecord.MetricValue();
        m.name = name;
        m.value = value;
        m.result = result;
        return m;
    }
}
