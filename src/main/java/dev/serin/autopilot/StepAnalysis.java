package dev.serin.autopilot;

import dev.serin.autopilot.analysis.Verdict;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.Canary;
import java.time.Duration;
import java.time.Instant;

/** Judges the canary's health over the last interval of its traffic. */
public interface StepAnalysis {
    record Result(Verdict verdict, AnalysisRecord record) {
    }

    Result analyze(Canary canary, Duration window, Instant at);
}
