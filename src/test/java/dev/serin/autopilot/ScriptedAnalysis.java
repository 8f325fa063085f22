package dev.serin.autopilot;

import dev.serin.autopilot.analysis.Verdict;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.Canary;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The analysis in scenario tests: each Canary passes unless its test scripts another verdict, or asks for the real
 * analysis ({@link #real}: the application's provider, e.g. against a stub Prometheus).
 */
@Alternative
@Priority(1)
@Singleton
public class ScriptedAnalysis implements StepAnalysis {
    private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();
    private final Map<String, Runnable> before = new ConcurrentHashMap<>();
    private final Map<String, List<Instant>> windowStarts = new ConcurrentHashMap<>();
    private final Map<String, Boolean> real = new ConcurrentHashMap<>();

    @jakarta.inject.Inject
    MetricStepAnalysis metricAnalysis;

    /** The Canary's checks are the application's own (MetricStepAnalysis), not scripted. */
    public void real(String namespace, String name) {
        real.put(namespace + "/" + name, true);
    }

    public void answer(String namespace, String name, Verdict verdict) {
        verdicts.put(namespace + "/" + name, verdict);
    }

    /** Runs {@code provider} before each answer for the Canary: it may throw, or take its time, as a provider can. */
    public void before(String namespace, String name, Runnable provider) {
        before.put(namespace + "/" + name, provider);
    }

    /** Where each check of the Canary began its window ({@code at - window}), oldest first. */
    public List<Instant> windowStarts(String namespace, String name) {
        return List.copyOf(windowStarts.getOrDefault(namespace + "/" + name, List.of()));
    }

    @Override
    public Result analyze(Canary canary, Duration window, Instant at) {
        windowStarts.computeIfAbsent(canary.getMetadata().getNamespace() + "/" + canary.getMetadata().getName(),
                k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(at.minus(window));
        before.getOrDefault(canary.getMetadata().getNamespace() + "/" + canary.getMetadata().getName(), () -> { }).run();
        if (real.containsKey(canary.getMetadata().getNamespace() + "/" + canary.getMetadata().getName())) {
            return metricAnalysis.analyze(canary, window, at);
        }
        var verdict = verdicts.getOrDefault(canary.getMetadata().getNamespace() + "/" + canary.getMetadata().getName(),
                Verdict.PASS);
        AnalysisRecord record = new AnalysisRecord();
        record.time = at.toString();
        record.result = switch (verdict) {
            case PASS -> "Pass";
            case FAIL -> "Fail";
            case INCONCLUSIVE -> "Inconclusive";
        };
        AnalysisRecord.MetricValue rate = new AnalysisRecord.MetricValue();
        rate.name = "successRate";
        rate.value = verdict == Verdict.FAIL ? 80.0 : 100.0;
        rate.result = record.result;
        record.metrics = List.of(rate);
        return new Result(verdict, record);
    }
}
