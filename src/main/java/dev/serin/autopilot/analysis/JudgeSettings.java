package dev.serin.autopilot.analysis;

import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.Compare;
import dev.serin.api.v1alpha1.JudgeSpec;
import dev.serin.autopilot.Durations;
import dev.serin.autopilot.judge.Comparison;
import java.time.Duration;

/**
 * {@code analysis.judge} with its defaults filled in: passScore 95, marginalScore 75, step 10s, minSamples 20.
 *
 * @param step the spacing of samples, and the span each sample covers
 */
public record JudgeSettings(double passScore, double marginalScore, Duration step, int minSamples) {
    public static final JudgeSettings DEFAULTS = new JudgeSettings(JudgeSpec.DEFAULT_PASS_SCORE,
            JudgeSpec.DEFAULT_MARGINAL_SCORE, Durations.parse(JudgeSpec.DEFAULT_STEP).orElseThrow(),
            JudgeSpec.DEFAULT_MIN_SAMPLES);

    public static JudgeSettings of(AnalysisSpec spec) {
        JudgeSpec j = spec == null ? null : spec.judge;
        if (j == null) {
            return DEFAULTS;
        }
        Duration step = Durations.parse(j.step).filter(d -> d.toMillis() > 0).orElse(DEFAULTS.step);
        return new JudgeSettings(j.passScore == null ? DEFAULTS.passScore : j.passScore,
                j.marginalScore == null ? DEFAULTS.marginalScore : j.marginalScore, step,
                j.minSamples == null ? DEFAULTS.minSamples : Math.max(1, j.minSamples));
    }

    /** The judge's view of a metric's {@code compare}, with the metric's default direction when none is given. */
    public static Comparison comparison(Compare c, Comparison.Direction defaultDirection) {
        Comparison.Direction direction = c.direction == null ? defaultDirection : switch (c.direction) {
            case INCREASE -> Comparison.Direction.INCREASE;
            case DECREASE -> Comparison.Direction.DECREASE;
            case EITHER -> Comparison.Direction.EITHER;
        };
        return new Comparison(direction,
                c.allowedIncrease == null ? Compare.DEFAULT_ALLOWED : c.allowedIncrease,
                c.allowedDecrease == null ? Compare.DEFAULT_ALLOWED : c.allowedDecrease,
                Boolean.TRUE.equals(c.critical), Boolean.TRUE.equals(c.removeOutliers));
    }
}
