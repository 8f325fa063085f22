package dev.serin.autopilot.analysis;

/**
 * Judges a canary's health from metrics. Implementations never throw for a metric source that is down or answers an
 * error: they return {@link Verdict#INCONCLUSIVE} with the reason in the metric's message.
 */
public interface AnalysisProvider {
    AnalysisOutcome analyze(AnalysisRequest request);
}
