package dev.serin.autopilot.analysis;

import dev.serin.autopilot.judge.Classification;
import dev.serin.autopilot.judge.Comparison;
import dev.serin.autopilot.judge.Judgement;
import dev.serin.autopilot.judge.MetricJudge;
import dev.serin.autopilot.judge.Scorecard;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compare mode, whatever the metric source: each compared metric's samples for the canary and for the stable
 * workload (one range query each), classified by {@link MetricJudge}, and the judge's score over them. A query that
 * fails makes its metric INCONCLUSIVE with the failure's message; once the source is found unreachable, the remaining
 * queries are not sent.
 */
public final class Comparisons {
    /** Runs one range query over the analysis window at the judge's step. Must not throw. */
    @FunctionalInterface
    public interface RangeRunner {
        RangeResult run(String query);
    }

    /**
     * One metric to compare.
     *
     * @param stableQuery null when there is no stable workload to compare with
     */
    public record Compared(String name, Comparison comparison, String canaryQuery, String stableQuery) {
    }

    private Comparisons() {
    }

    public static List<MetricOutcome> judge(List<Compared> metrics, RangeRunner runner, JudgeSettings settings) {
        var run = new StopWhenUnreachable<RangeResult>(runner::run, m -> new RangeResult.Failed(m, false),
                r -> r instanceof RangeResult.Failed f && f.unreachable());
        List<MetricOutcome> out = new ArrayList<>();
        for (Compared m : metrics) {
            if (m.stableQuery() == null) {
                out.add(MetricOutcome.judged(m.name(), unjudged(m, "no stable workload to compare with")));
                continue;
            }
            RangeResult canary = run.run(m.canaryQuery());
            RangeResult stable = run.run(m.stableQuery());
            if (canary instanceof RangeResult.Failed f) {
                out.add(MetricOutcome.judged(m.name(), unjudged(m, "canary: " + f.message())));
            } else if (stable instanceof RangeResult.Failed f) {
                out.add(MetricOutcome.judged(m.name(), unjudged(m, "stable: " + f.message())));
            } else {
                Judgement j;
                try {
                    j = MetricJudge.classify(((RangeResult.Series) canary).samples(),
                            ((RangeResult.Series) stable).samples(), m.comparison(), settings.minSamples());
                } catch (RuntimeException e) { // the judge is pure; a surprise in it must not pass a canary
                    j = unjudged(m, "could not judge: " + e.getMessage());
                }
                out.add(MetricOutcome.judged(m.name(), j));
            }
        }
        return out;
    }

    /**
     * The judge's score over the compared metrics; null when there are none. {@code gate}, when not null, says why no
     * judgement may be made yet (too few requests): the score is then INCONCLUSIVE with that reason.
     */
    public static Scorecard.Score score(List<MetricOutcome> metrics, JudgeSettings settings, String gate) {
        Map<String, Judgement> judged = new LinkedHashMap<>();
        for (MetricOutcome m : metrics) {
            if (m.compared()) {
                judged.put(m.name(), m.judgement());
            }
        }
        if (judged.isEmpty()) {
            return null;
        }
        if (gate != null) {
            return new Scorecard.Score(Scorecard.Result.INCONCLUSIVE, null, "no judgement yet: " + gate);
        }
        return Scorecard.score(judged, settings.passScore(), settings.marginalScore());
    }

    private static Judgement unjudged(Compared m, String message) {
        return new Judgement(Classification.INCONCLUSIVE, m.comparison().critical(), 0, 0, null, null, null, null, null,
                null, null, message);
    }
}
