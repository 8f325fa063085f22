package dev.serin.autopilot.analysis;

import dev.serin.api.v1alpha1.AnalysisRecord;
import java.util.Objects;

/**
 * One metric's value and verdict.
 *
 * @param name the metric: {@code requests}, {@code successRate}, {@code latencyP99} or a user query's name
 * @param value the measured value; null when there was no data or the query failed
 * @param verdict PASS, FAIL or INCONCLUSIVE for this metric alone
 * @param message why, for people: the bound that was crossed, "no data", or Prometheus' error
 */
public record MetricOutcome(String name, Double value, Verdict verdict, String message) {
    public MetricOutcome {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(verdict, "verdict");
    }

    public AnalysisRecord.MetricValue toMetricValue() {
        AnalysisRecord.MetricValue v = new AnalysisRecord.MetricValue();
        v.name = name;
        // status is JSON: NaN and infinities have no JSON spelling, so they are left out (message says what it was)
        v.value = value == null || value.isNaN() || value.isInfinite() ? null : value;
        v.result = verdict.statusValue();
        v.message = message;
        return v;
    }
}
