package dev.serin.autopilot.judge;

import java.util.Objects;

/**
 * One metric judged, canary against stable: the classification, and what it was decided on. Numbers are null when
 * there was nothing to compute them from.
 *
 * @param canarySamples values of the canary used (after dropping NaN and, if asked, outliers)
 * @param stableSamples the same for stable
 * @param effectSize mean canary / mean stable; null when either mean is 0 (the ratio is then not used)
 * @param estimate the location shift canary − stable (R's "difference in location")
 * @param lower the shift's confidence interval, lower end
 * @param upper its upper end
 * @param pValue the Mann–Whitney test's two-sided p-value
 * @param message why, for people
 */
public record Judgement(Classification classification, boolean critical, int canarySamples, int stableSamples,
        Double canaryMedian, Double stableMedian, Double effectSize, Double estimate, Double lower, Double upper,
        Double pValue, String message) {
    public Judgement {
        Objects.requireNonNull(classification, "classification");
        Objects.requireNonNull(message, "message");
    }

    /** High or Low. */
    public boolean failed() {
        return classification == Classification.HIGH || classification == Classification.LOW;
    }
}
