package dev.serin.autopilot;

import static dev.serin.api.v1alpha1.Phase.Promoting;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.autopilot.StepDecider.Abort;
import dev.serin.autopilot.StepDecider.Advance;
import dev.serin.autopilot.StepDecider.Check;
import dev.serin.autopilot.StepDecider.Decision;
import dev.serin.autopilot.StepDecider.Hold;
import dev.serin.autopilot.StepDecider.Promote;
import dev.serin.autopilot.StepDecider.Rebase;
import dev.serin.autopilot.StepDecider.StartClock;
import dev.serin.autopilot.StepDecider.StopClock;
import dev.serin.autopilot.analysis.PrometheusEndpoints;
import dev.serin.metrics.AutopilotMetrics;
import dev.serin.reconcile.AutopilotPolicy;
import dev.serin.reconcile.Conditions;
import dev.serin.reconcile.Controller;
import dev.serin.reconcile.EventRecorder;
import dev.serin.reconcile.Invalid;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The autopilot as its Canary's reconcile consults it: steps {@code spec.weight} up while the analysis passes, holds,
 * promotes, or aborts (phase Aborted; the reconciler then routes nothing to the canary). It decides on the Canary as
 * the reconcile has it; the analysis runs apart ({@link AnalysisRunner}) and its result is taken by a later reconcile,
 * which decides again on the Canary as it is then. All progress is kept in the Canary's status.
 */
@ApplicationScoped
public class AutopilotSteps implements AutopilotPolicy {
    private final StepWrites writes;
    private final CanaryActions actions;
    private final StepAnalysis analysis;
    private final AnalysisRunner runner;
    private final PrometheusEndpoints prometheus;
    private final Controller controller;
    private final EventRecorder events;
    private final AutopilotMetrics metrics;
    private final Clock clock;

    public AutopilotSteps(StepWrites writes, CanaryActions actions, StepAnalysis analysis, AnalysisRunner runner,
            PrometheusEndpoints prometheus, Controller controller, EventRecorder events, AutopilotMetrics metrics,
            Clock clock) {
        this.writes = writes;
        this.actions = actions;
        this.analysis = analysis;
        this.runner = runner;
        this.prometheus = prometheus;
        this.controller = controller;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Steps, durations and threshold (AutopilotValidator), then the Prometheus URL and allow-list. */
    @Override
    public Optional<Invalid> refusal(Canary canary) {
        AutopilotSpec spec = canary.getSpec().autopilot;
        Optional<Invalid> invalid = AutopilotValidator.check(spec);
        if (invalid.isEmpty() && spec != null && spec.analysis != null) {
            invalid = prometheus.refusal(spec.analysis).map(r -> new Invalid(r.reason(), r.message()));
        }
        return invalid;
    }

    @Override
    public boolean handleRequest(Canary canary) {
        String action = CanaryActions.requested(canary);
        if (action == null) {
            return false;
        }
        actions.handle(canary, action);
        return true;
    }

    /** True when a move is due: the tick queues the Canary's reconcile for it. */
    boolean due(Canary canary) {
        return !(decide(canary, clock.instant()) instanceof StepDecider.Wait);
    }

    boolean idle() {
        return runner.idle();
    }

    /** Writes spec.weight or the phase: true (the pass ends; their watch event brings the next). Its own status fields: false. */
    @Override
    public boolean step(Canary canary) {
        String key = canary.getMetadata().getNamespace() + "/" + canary.getMetadata().getName();
        if (!Autopilot.eligible(canary)) {
            runner.forget(key);
            return false;
        }
        Instant now = clock.instant();
        Decision decision = decide(canary, now);
        if (decision instanceof StepDecider.Wait) {
            return false;
        }
        if (!(decision instanceof Check)) {
            return act(canary, decision, null, now);
        }
        Duration interval = interval(canary);
        Object basis = basis(canary);
        Optional<StepAnalysis.Result> result = runner.result(key, basis,
                () -> analysis.analyze(canary, interval, now),
                () -> controller.enqueue(canary.getMetadata().getNamespace(), canary.getMetadata().getName()));
        if (result.isEmpty()) {
            return false; // running: its result queues this Canary's reconcile
        }
        AutopilotSpec spec = canary.getSpec().autopilot;
        int threshold = spec.analysis == null || spec.analysis.failureThreshold == null
                ? StepDecider.DEFAULT_FAILURE_THRESHOLD
                : spec.analysis.failureThreshold;
        decision = StepDecider.afterCheck(canary, plan(canary), result.get().verdict(), threshold,
                spec.onComplete == AutopilotSpec.OnComplete.Promote, interval, now);
        boolean wrote = act(canary, decision, result.get().record(), now);
        // only now: a write refused on the way (409) leaves the result for the next pass to decide on again
        runner.landed(key, basis);
        metrics.checked(result.get().record().result);
        return wrote;
    }

    private Decision decide(Canary canary, Instant now) {
        AutopilotSpec spec = canary.getSpec().autopilot;
        Duration deadline = Durations.parse(spec.progressDeadline).orElse(Autopilot.DEFAULT_DEADLINE);
        return StepDecider.decide(canary, plan(canary), interval(canary), deadline, now);
    }

    private static StepPlan plan(Canary canary) {
        return StepPlan.of(canary.getSpec().autopilot).orElseThrow(); // refusal() holds back a Canary without one
    }

    private static Duration interval(Canary canary) {
        return Durations.parse(canary.getSpec().autopilot.interval).orElse(Autopilot.DEFAULT_INTERVAL);
    }

    /** What a check is decided on: a result for another step, or another moment of it, is not used. */
    private static Object basis(Canary canary) {
        var s = canary.getStatus();
        return java.util.List.of(String.valueOf(s.stepIndex), String.valueOf(s.nextStepAt),
                String.valueOf(canary.getSpec().weight));
    }

    private boolean act(Canary canary, Decision decision, AnalysisRecord record, Instant now) {
        String stamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        String namespace = canary.getMetadata().getNamespace();
        String name = canary.getMetadata().getName();
        if (decision instanceof Rebase r) {
            writes.status(canary, s -> {
                s.stepIndex = r.stepIndex();
                s.stepWeight = canary.getSpec().weight;
                s.lastWeightChange = stamp;
                s.nextStepAt = null;
                s.failedChecks = 0;
            });
            metrics.step(namespace, name, r.stepIndex());
            if (r.byHand()) {
                events.normal(canary, "ManualOverride", "weight set by hand to " + canary.getSpec().weight
                        + " %; the autopilot carries on from the next step above it, a full interval after the routes"
                        + " carry it");
            }
            return false;
        } else if (decision instanceof StartClock c) {
            writes.status(canary, s -> s.nextStepAt = due(c.nextStepAt()));
            return false;
        } else if (decision instanceof StopClock) {
            writes.status(canary, s -> s.nextStepAt = null);
            return false;
        } else if (decision instanceof Advance a) {
            // status first, then the spec locked to the status write: the reconciler reacting to the spec finds the step
            Canary written = writes.status(canary, s -> {
                s.stepIndex = a.stepIndex();
                s.stepWeight = a.weight().percent();
                s.lastWeightChange = stamp;
                s.nextStepAt = null; // the next interval starts when the routes carry the new weight
                s.failedChecks = 0;
                Autopilot.remember(s, record);
            });
            writes.stepWeight(written, canary.getSpec().weight, a.weight().percent());
            metrics.step(namespace, name, a.stepIndex());
            events.normal(canary, "StepAdvanced", "analysis passed; weight " + canary.getSpec().weight + " → "
                    + a.weight() + " % (step " + (a.stepIndex() + 1) + ")");
            return true;
        } else if (decision instanceof Hold h) {
            writes.status(canary, s -> {
                s.failedChecks = h.failedChecks();
                s.nextStepAt = due(h.nextStepAt());
                Autopilot.remember(s, record);
                if (h.complete()) {
                    Conditions.set(s.conditions, Conditions.of(Autopilot.CONDITION, true, "Completed", "last step reached; holding until a person acts"));
                }
            });
            if (record != null && "Fail".equals(record.result)) {
                events.warning(canary, "AnalysisFailed", "check failed (" + h.failedChecks() + " in a row): "
                        + describe(record));
            }
            return false;
        } else if (decision instanceof Abort a) {
            writes.abort(canary, a.reason(), a.message(), record);
            return true;
        } else if (decision instanceof Promote) {
            writes.status(canary, s -> {
                s.phase = Promoting;
                Autopilot.remember(s, record);
                Conditions.set(s.conditions, Conditions.of(Autopilot.CONDITION, true, "Promoting", "last step passed; promoting the canary"));
            });
            events.normal(canary, "Promoting", "last step passed; promoting " + name);
            return true;
        }
        return false;
    }

    /** A due time as status keeps it: to the millisecond, rounded up, so a step never comes before its interval. */
    static String due(Instant at) {
        Instant millis = at.truncatedTo(ChronoUnit.MILLIS);
        return (millis.equals(at) ? millis : millis.plusMillis(1)).toString();
    }

    private static String describe(AnalysisRecord record) {
        if (record.metrics == null) {
            return record.result;
        }
        return String.join(", ", record.metrics.stream()
                .map(m -> m.name + "=" + m.value + " " + m.result + (m.message == null ? "" : " (" + m.message + ")"))
                .toList());
    }
}
