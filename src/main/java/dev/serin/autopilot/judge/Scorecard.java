package dev.serin.autopilot.judge;

import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The judge's verdict over all compared metrics, as Kayenta scores a canary. Pure.
 *
 * <ul>
 *   <li>Any metric {@link Classification#INCONCLUSIVE} (too few samples): no score, INCONCLUSIVE — the step holds,
 *       critical metric or not, and nothing counts as a failure.
 *   <li>A critical metric High or Low: score 0, FAIL whatever {@code marginalScore} is.
 *   <li>Otherwise score = Pass metrics / judged metrics × 100: at least {@code passScore} PASS, at least
 *       {@code marginalScore} MARGINAL (the step holds without counting a failure), below it FAIL.
 * </ul>
 */
public final class Scorecard {
    public static final double DEFAULT_PASS_SCORE = 95;
    public static final double DEFAULT_MARGINAL_SCORE = 75;

    public enum Result {
        PASS("Pass"), MARGINAL("Marginal"), FAIL("Fail"), INCONCLUSIVE("Inconclusive");

        private final String statusValue;

        Result(String statusValue) {
            this.statusValue = statusValue;
        }

        public String statusValue() {
            return statusValue;
        }
    }

    /** @param score 0..100, null when there was no judgement */
    public record Score(Result result, Double score, String message) {
        public Score {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(message, "message");
        }
    }

    private Scorecard() {
    }

    /** @param judgements each compared metric by name, in the order to report them; at least one */
    public static Score score(Map<String, Judgement> judgements, double passScore, double marginalScore) {
        if (judgements.isEmpty()) {
            throw new IllegalArgumentException("no metric to score");
        }
        String missing = judgements.entrySet().stream()
                .filter(e -> e.getValue().classification() == Classification.INCONCLUSIVE)
                .map(e -> e.getKey() + " (" + e.getValue().message() + ")")
                .collect(Collectors.joining("; "));
        if (!missing.isEmpty()) {
            return new Score(Result.INCONCLUSIVE, null, "no judgement yet: " + missing);
        }
        String critical = judgements.entrySet().stream()
                .filter(e -> e.getValue().critical() && e.getValue().failed())
                .map(e -> e.getKey() + " is " + e.getValue().classification().statusValue())
                .collect(Collectors.joining(", "));
        if (!critical.isEmpty()) {
            return new Score(Result.FAIL, 0.0, "score 0: critical " + critical);
        }
        long passed = judgements.values().stream().filter(j -> j.classification() == Classification.PASS).count();
        double score = 100.0 * passed / judgements.size();
        String failed = judgements.entrySet().stream().filter(e -> e.getValue().failed())
                .map(e -> e.getKey() + " " + e.getValue().classification().statusValue())
                .collect(Collectors.joining(", "));
        String what = "score " + MetricJudge.format(score) + " (" + passed + " of " + judgements.size() + " metrics pass"
                + (failed.isEmpty() ? "" : "; " + failed) + ")";
        if (score >= passScore) {
            return new Score(Result.PASS, score, what + ", at least passScore " + MetricJudge.format(passScore));
        }
        if (score >= marginalScore) {
            return new Score(Result.MARGINAL, score, what + ", marginal: below passScore "
                    + MetricJudge.format(passScore) + ", at least marginalScore " + MetricJudge.format(marginalScore)
                    + "; the step holds");
        }
        return new Score(Result.FAIL, score, what + ", below marginalScore " + MetricJudge.format(marginalScore));
    }
}
