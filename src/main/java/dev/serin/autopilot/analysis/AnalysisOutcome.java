package dev.serin.autopilot.analysis;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.autopilot.judge.Scorecard;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The result of one analysis: when it was evaluated, the overall verdict and each metric.
 *
 * <p>The overall verdict is what the autopilot acts on. A metric may be FAIL while the overall verdict is INCONCLUSIVE:
 * with fewer requests than {@code minRequests} nothing is judged, but the values are still reported.
 */
public record AnalysisOutcome(Instant time, Verdict verdict, List<MetricOutcome> metrics, Scorecard.Score score) {
    public AnalysisOutcome {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(verdict, "verdict");
        metrics = List.copyOf(metrics);
    }

    public AnalysisOutcome(Instant time, Verdict verdict, List<MetricOutcome> metrics) {
        this(time, verdict, metrics, null);
    }

    /** A one-line reason for events and logs: the messages of the metrics that decided the verdict. */
    public String summary() {
        if (verdict == Verdict.PASS) {
            return "all checks passed";
        }
        String judged = score == null || score.result() == Scorecard.Result.PASS ? "" : "judge: " + score.message();
        String reasons = metrics.stream()
                .filter(m -> m.verdict() == verdict && !m.compared())
                .map(m -> m.name() + ": " + m.message())
                .collect(Collectors.joining("; "));
        reasons = judged.isEmpty() ? reasons : reasons.isEmpty() ? judged : reasons + "; " + judged;
        return reasons.isEmpty() ? verdict.statusValue() : reasons;
    }

    /** The outcome as kept in the Canary's status; time is RFC 3339 in UTC, result is Pass, Fail or Inconclusive. */
    public AnalysisRecord toRecord() {
        AnalysisRecord r = new AnalysisRecord();
        r.time = DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.SECONDS));
        r.result = verdict.statusValue();
        if (score != null) {
            r.score = score.score();
            r.judgement = score.result().statusValue();
        }
        r.metrics = metrics.stream().map(MetricOutcome::toMetricValue).collect(Collectors.toList());
        return r;
    }
}
