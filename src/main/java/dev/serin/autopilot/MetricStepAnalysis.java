package dev.serin.autopilot;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.autopilot.analysis.AnalysisOutcome;
import dev.serin.autopilot.analysis.AnalysisProvider;
import dev.serin.autopilot.analysis.AnalysisRequest;
import dev.serin.autopilot.analysis.DatadogAnalysisProvider;
import dev.serin.autopilot.analysis.Verdict;
import dev.serin.reconcile.ResolvedCanary;
import dev.serin.traffic.TrafficRouters;
import dev.serin.traffic.TrafficTargets;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A step's check over the canary's own traffic, from Prometheus or (with {@code analysis.datadog}) Datadog; without an
 * analysis spec, a step passes once its interval is over.
 */
@ApplicationScoped
public class MetricStepAnalysis implements StepAnalysis {
    private final AnalysisProvider provider;
    private final DatadogAnalysisProvider datadog;
    private final TrafficRouters routers;

    public MetricStepAnalysis(AnalysisProvider provider, DatadogAnalysisProvider datadog, TrafficRouters routers) {
        this.provider = provider;
        this.datadog = datadog;
        this.routers = routers;
    }

    @Override
    public Result analyze(Canary canary, Duration window, Instant at) {
        var spec = canary.getSpec().autopilot.analysis;
        if (spec == null) {
            AnalysisRecord record = new AnalysisRecord();
            record.time = at.truncatedTo(ChronoUnit.SECONDS).toString();
            record.result = Verdict.PASS.statusValue();
            record.metrics = List.of();
            return new Result(Verdict.PASS, record);
        }
        ResolvedCanary resolved = ResolvedCanary.of(canary);
        // routes another implementation serves: Istio's metrics say nothing of their traffic
        String noIstio = routers.of(canary).withoutIstioMetrics(TrafficTargets.of(canary, null)).orElse(null);
        AnalysisOutcome outcome = (spec.datadog != null ? datadog : provider).analyze(new AnalysisRequest(
                resolved.namespace(), resolved.deploymentName(), resolved.version(), window, spec, at,
                resolved.target(), noIstio));
        return new Result(outcome.verdict(), outcome.toRecord());
    }
}
