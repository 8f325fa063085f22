package dev.serin.autopilot.analysis;

import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.Compare;
import dev.serin.api.v1alpha1.JudgeSpec;
import dev.serin.autopilot.Durations;
import java.util.Optional;

/**
 * Checks compare mode, the judge and the metric source of an analysis as stored (the CRD refuses the same at the door;
 * a Canary stored under an older CRD still gets a clear reason). Pure.
 */
public final class CompareRules {
    private static final String AT = "spec.autopilot.analysis.";

    private CompareRules() {
    }

    /** What is wrong, naming the field; empty when nothing is. */
    public static Optional<String> problem(AnalysisSpec a) {
        if (a == null) {
            return Optional.empty();
        }
        if (a.prometheus != null && !a.prometheus.isBlank() && a.datadog != null) {
            return Optional.of(AT + "prometheus and " + AT + "datadog: name one metrics source, not both");
        }
        if (a.datadog != null && (a.successRate != null || a.latencyP99 != null)) {
            return Optional.of(AT + "successRate and latencyP99 read Istio's metrics from Prometheus; with datadog,"
                    + " write them as queries");
        }
        Optional<String> p = Optional.empty();
        if (a.successRate != null) {
            p = compare("successRate", a.successRate.compare, a.successRate.min != null || a.successRate.max != null);
        }
        if (p.isEmpty() && a.latencyP99 != null) {
            p = compare("latencyP99", a.latencyP99.compare, a.latencyP99.maxMs != null);
        }
        if (a.queries != null) {
            for (int i = 0; i < a.queries.size() && p.isEmpty(); i++) {
                AnalysisSpec.Query q = a.queries.get(i);
                if (q != null) {
                    p = compare("queries[" + i + "]", q.compare, q.min != null || q.max != null);
                }
            }
        }
        return p.isPresent() ? p : judge(a.judge);
    }

    private static Optional<String> compare(String metric, Compare c, boolean bounded) {
        if (c == null) {
            return Optional.empty();
        }
        String at = AT + metric + ".compare";
        if (bounded) {
            return Optional.of(at + " replaces fixed bounds: set compare or min/max, not both");
        }
        if (c.allowedIncrease != null && !(c.allowedIncrease >= 1)) {
            return Optional.of(at + ".allowedIncrease " + c.allowedIncrease + " must be 1 or more, e.g. 1.1");
        }
        if (c.allowedDecrease != null && !(c.allowedDecrease >= 0 && c.allowedDecrease <= 1)) {
            return Optional.of(at + ".allowedDecrease " + c.allowedDecrease + " must be from 0 to 1, e.g. 0.9");
        }
        return Optional.empty();
    }

    private static Optional<String> judge(JudgeSpec j) {
        if (j == null) {
            return Optional.empty();
        }
        String at = AT + "judge.";
        if (j.passScore != null && !(j.passScore >= 0 && j.passScore <= 100)) {
            return Optional.of(at + "passScore " + j.passScore + " must be from 0 to 100");
        }
        if (j.marginalScore != null && !(j.marginalScore >= 0 && j.marginalScore <= 100)) {
            return Optional.of(at + "marginalScore " + j.marginalScore + " must be from 0 to 100");
        }
        double pass = j.passScore == null ? JudgeSpec.DEFAULT_PASS_SCORE : j.passScore;
        double marginal = j.marginalScore == null ? JudgeSpec.DEFAULT_MARGINAL_SCORE : j.marginalScore;
        if (marginal > pass) {
            return Optional.of(at + "marginalScore " + Analysis.format(marginal) + " must not be above passScore "
                    + Analysis.format(pass) + " (defaults 75 and 95)");
        }
        if (j.step != null && Durations.parse(j.step).filter(d -> d.toMillis() > 0).isEmpty()) {
            return Optional.of(at + "step " + j.step + " must be a duration above zero, like 10s or 1m");
        }
        if (j.minSamples != null && j.minSamples < 1) {
            return Optional.of(at + "minSamples " + j.minSamples + " must be 1 or more");
        }
        return Optional.empty();
    }
}
