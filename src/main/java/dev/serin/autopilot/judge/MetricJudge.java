package dev.serin.autopilot.judge;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Classifies one metric of the canary against the stable version's, as Kayenta's NetflixACAJudge does (its
 * Mann–Whitney classifier). Pure.
 *
 * <ol>
 *   <li>NaN (and ±Inf) samples are dropped; with {@code removeOutliers}, so are values beyond 3 × IQR of their side.
 *   <li>Fewer than {@code minSamples} on either side: {@link Classification#INCONCLUSIVE}.
 *   <li>The same values on both sides, or one value throughout: {@link Classification#PASS}.
 *   <li>Otherwise the two-sided Mann–Whitney U test at {@link #CONFIDENCE} ({@link MannWhitney}) gives the shift
 *       canary − stable and its interval. {@link Classification#HIGH} when an increase is watched, the interval's
 *       lower end is above {@code 0.25 × |shift|} and the effect size (mean canary / mean stable) is at least
 *       {@code allowedIncrease}; {@link Classification#LOW} when a decrease is watched, the upper end is below
 *       {@code −0.25 × |shift|} and the effect size is at most {@code allowedDecrease}; otherwise PASS. An effect size
 *       with a zero mean is not computed, and does not hold back High or Low.
 * </ol>
 *
 * When each side is a single constant (different ones), the shift is their difference and its interval is that point.
 */
public final class MetricJudge {
    public static final double CONFIDENCE = 0.98;
    /** Kayenta's tolerance: the interval must clear a quarter of the shift's size. */
    static final double TOLERANCE = 0.25;

    private MetricJudge() {
    }

    public static Judgement classify(double[] canarySamples, double[] stableSamples, Comparison comparison,
            int minSamples) {
        double[] canary = Samples.finite(canarySamples);
        double[] stable = Samples.finite(stableSamples);
        if (comparison.removeOutliers()) {
            canary = Samples.withoutOutliers(canary);
            stable = Samples.withoutOutliers(stable);
        }
        int needed = Math.max(1, minSamples);
        Double canaryMedian = canary.length == 0 ? null : Samples.median(canary);
        Double stableMedian = stable.length == 0 ? null : Samples.median(stable);
        if (canary.length < needed || stable.length < needed) {
            return new Judgement(Classification.INCONCLUSIVE, comparison.critical(), canary.length, stable.length,
                    canaryMedian, stableMedian, null, null, null, null, null,
                    "too few samples: canary " + canary.length + ", stable " + stable.length + "; at least " + needed
                            + " each needed to judge");
        }
        Double effect = effectSize(canary, stable);
        if (Samples.identical(canary, stable)) {
            return pass(comparison, canary, stable, canaryMedian, stableMedian, effect,
                    "canary and stable samples are identical");
        }
        if (Samples.oneValue(canary, stable)) {
            return pass(comparison, canary, stable, canaryMedian, stableMedian, effect,
                    "canary and stable are " + format(canary[0]) + " throughout");
        }
        double estimate;
        double lower;
        double upper;
        Double p;
        if (Samples.constant(canary) && Samples.constant(stable)) {
            estimate = canary[0] - stable[0];
            lower = estimate;
            upper = estimate;
            p = null;
        } else {
            MannWhitney.Result r = MannWhitney.test(canary, stable, CONFIDENCE);
            estimate = r.estimate();
            lower = r.lower();
            upper = r.upper();
            p = r.pValue();
        }
        double margin = TOLERANCE * Math.abs(estimate);
        Comparison.Direction direction = comparison.direction();
        String basis = "shift " + signed(estimate) + " (98 % interval " + format(lower) + " .. " + format(upper) + ")"
                + (effect == null ? "" : ", mean ratio " + format(effect));
        Classification c = Classification.PASS;
        String message;
        if (direction.catchesIncrease() && lower > margin
                && (effect == null || effect >= comparison.allowedIncrease())) {
            c = Classification.HIGH;
            message = "canary higher than stable: " + basis + allowance(effect, "at least", comparison.allowedIncrease());
        } else if (direction.catchesDecrease() && upper < -margin
                && (effect == null || effect <= comparison.allowedDecrease())) {
            c = Classification.LOW;
            message = "canary lower than stable: " + basis + allowance(effect, "at most", comparison.allowedDecrease());
        } else {
            message = "no significant " + switch (direction) {
                case INCREASE -> "increase";
                case DECREASE -> "decrease";
                case EITHER -> "difference";
            } + ": " + basis;
        }
        return new Judgement(c, comparison.critical(), canary.length, stable.length, canaryMedian, stableMedian,
                effect, estimate, lower, upper, p, message);
    }

    private static Judgement pass(Comparison comparison, double[] canary, double[] stable, Double canaryMedian,
            Double stableMedian, Double effect, String message) {
        return new Judgement(Classification.PASS, comparison.critical(), canary.length, stable.length, canaryMedian,
                stableMedian, effect, 0.0, 0.0, 0.0, 1.0, message);
    }

    /** Mean canary / mean stable; null when either mean is 0. */
    static Double effectSize(double[] canary, double[] stable) {
        double c = Samples.mean(canary);
        double s = Samples.mean(stable);
        return c == 0 || s == 0 ? null : c / s;
    }

    private static String allowance(Double effect, String bound, double allowed) {
        return effect == null ? "" : ", " + bound + " the allowed " + format(allowed);
    }

    private static String signed(double v) {
        return (v > 0 ? "+" : "") + format(v);
    }

    /** Four significant digits, no exponent. */
    static String format(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }
}
