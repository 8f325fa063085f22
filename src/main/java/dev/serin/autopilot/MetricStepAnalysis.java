package dev.serin.autopilot;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.Canary;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Without an analysis spec, a step passes once its interval has gone by. */
@ApplicationScoped
public class MetricStepAnalysis implements StepAnalysis {
    @Override
    public Result analyze(Canary canary, Duration window, Instant at) {
        AnalysisRecord record = new AnalysisRecord();
        record.time = at.truncatedTo(ChronoUnit.SECONDS).toString();
        if (canary.getSpec().autopilot.analysis == null) {
            record.result = "Pass";
            record.metrics = List.of();
            return new Result(StepDecider.Verdict.PASS, record);
        }
        record.result = "Inconclusive";
        record.metrics = List.of();
        return new Result(StepDecider.Verdict.INCONCLUSIVE, record);
    }
}
