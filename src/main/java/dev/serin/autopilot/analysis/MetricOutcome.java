package dev.serin.autopilot.analysis;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.autopilot.judge.Judgement;
import java.util.Objects;

/**
 * One metric's value and verdict.
 *
 * @param name the metric: {@code requests}, {@code successRate}, {@code latencyP99} or a user query's name
 * @param value the measured value; null when there was no data or the query failed
 * @param verdict PASS, FAIL or INCONCLUSIVE for this metric alone
 * @param message why, for people: the bound that was crossed, "no data", or Prometheus' error
 * @param judgement for a metric compared with the stable version: the judge's classification and its basis; null
 *     for a metric held to fixed bounds. Its verdict is then the classification's (High or Low FAIL, too few samples
 *     INCONCLUSIVE), but the analysis' verdict comes from the judge's score over all compared metrics.
 */
public record MetricOutcome(String name, Double value, Verdict verdict, String message, Judgement judgement) {
    public MetricOutcome {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(verdict, "verdict");
    }

    public MetricOutcome(String name, Double value, Verdict verdict, String message) {
        this(name, value, verdict, message, null);
    }

    /** A compared metric: its value is the canary's median. */
    public static MetricOutcome judged(String name, Judgement j) {
        Verdict v = switch (j.classification()) {
            case PASS -> Verdict.PASS;
            case HIGH, LOW -> Verdict.FAIL;
            case INCONCLUSIVE -> Verdict.INCONCLUSIVE;
        };
        return new MetricOutcome(name, j.canaryMedian(), v, j.message(), j);
    }

    /** True for a metric held against the stable version. */
    public boolean compared() {
        return judgement != null;
    }

    public AnalysisRecord.MetricValue toMetricValue() {
        AnalysisRecord.MetricValue v = new AnalysisRecord.MetricValue();
        v.name = name;
        // status is JSON: NaN and infinities have no JSON spelling, so they are left out (message says what it was)
        v.value = value == null || value.isNaN() || value.isInfinite() ? null : value;
        v.result = verdict.statusValue();
        v.message = message;
        if (judgement != null) {
            v.classification = judgement.classification().statusValue();
            v.canarySamples = judgement.canarySamples();
            v.stableSamples = judgement.stableSamples();
            v.canaryMedian = finite(judgement.canaryMedian());
            v.stableMedian = finite(judgement.stableMedian());
            v.effectSize = finite(judgement.effectSize());
            v.estimate = finite(judgement.estimate());
            if (judgement.lower() != null && judgement.upper() != null) {
                v.interval = new AnalysisRecord.Interval();
                v.interval.lower = finite(judgement.lower());
                v.interval.upper = finite(judgement.upper());
            }
        }
        return v;
    }

    private static Double finite(Double v) {
        return v == null || v.isNaN() || v.isInfinite() ? null : v;
    }
}
