package dev.serin.autopilot;

import static dev.serin.api.v1alpha1.Phase.Aborted;
import static dev.serin.api.v1alpha1.Phase.Failed;
import static dev.serin.api.v1alpha1.Phase.Promoting;
import static dev.serin.api.v1alpha1.Phase.Succeeded;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.autopilot.StepDecider.Abort;
import dev.serin.autopilot.StepDecider.Advance;
import dev.serin.autopilot.StepDecider.Check;
import dev.serin.autopilot.StepDecider.Decision;
import dev.serin.autopilot.StepDecider.Hold;
import dev.serin.autopilot.StepDecider.Promote;
import dev.serin.autopilot.StepDecider.Rebase;
import dev.serin.cluster.ClusterCache;
import dev.serin.metrics.AutopilotMetrics;
import dev.serin.reconcile.Conditions;
import dev.serin.reconcile.Controller;
import dev.serin.reconcile.EventRecorder;
import dev.serin.reconcile.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Steps each autopiloted Canary's {@code spec.weight} up while its analysis passes, and back to 0 when it
 * fails — writing the spec exactly as a person would, so the reconciler does the traffic work. All progress is
 * kept in the Canary's status. Runs only where the controller runs (on the leader).
 */
@ApplicationScoped
public class Autopilot {
    public static final String CONDITION = "Autopilot";
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);
    private static final int KEPT_RECORDS = 5;
    private static final Set<Phase> HANDS_OFF = Set.of(Aborted, Promoting, Succeeded, Failed);
    private static final Logger LOG = Logger.getLogger(Autopilot.class);

    private final ClusterCache cache;
    private final Controller controller;
    private final KubernetesClient client;
    private final StatusWriter status;
    private final EventRecorder events;
    private final StepAnalysis analysis;
    private final AutopilotMetrics metrics;
    private final Rollback rollback;
    private final Clock clock;

    public Autopilot(ClusterCache cache, Controller controller, KubernetesClient client, StatusWriter status,
            EventRecorder events, StepAnalysis analysis, AutopilotMetrics metrics, Rollback rollback, Clock clock) {
        this.rollback = rollback;
        this.cache = cache;
        this.controller = controller;
        this.client = client;
        this.status = status;
        this.events = events;
        this.analysis = analysis;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Scheduled(every = "${serin.autopilot.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (controller.started()) {
            tick();
        }
    }

    /** One pass over every autopiloted Canary. */
    public synchronized void tick() {
        for (Canary canary : cache.allCanaries()) {
            if (!eligible(canary)) {
                continue;
            }
            try {
                step(canary);
            } catch (KubernetesClientException e) {
                // a conflict is someone else's newer write: the next tick decides again on fresh state
                LOG.logf(e.getCode() == 409 ? Logger.Level.DEBUG : Logger.Level.WARN, e,
                        "autopilot step of %s/%s deferred", canary.getMetadata().getNamespace(), canary.getMetadata().getName());
            }
        }
    }

    private boolean eligible(Canary canary) {
        CanaryStatus s = canary.getStatus();
        return canary.getMetadata().getDeletionTimestamp() == null && canary.getSpec() != null
                && canary.getSpec().autopilot != null && !Boolean.TRUE.equals(canary.getSpec().paused)
                && s != null && (s.phase == null || !HANDS_OFF.contains(s.phase))
                && Conditions.isTrue(s.conditions, "Valid");
    }

    private void step(Canary canary) {
        var spec = canary.getSpec().autopilot;
        StepPlan plan = StepPlan.of(spec).orElseThrow(); // the validator refuses a Canary without a valid plan
        Duration interval = Durations.parse(spec.interval).orElse(DEFAULT_INTERVAL);
        Duration deadline = Durations.parse(spec.progressDeadline).orElse(DEFAULT_DEADLINE);
        Instant now = clock.instant();
        Decision decision = StepDecider.decide(canary, plan, interval, deadline, now);
        if (decision instanceof StepDecider.Wait) {
            return;
        }
        // about to act: decide again on the Canary as the API server has it, not on a cache a moment behind
        canary = client.resources(Canary.class).inNamespace(canary.getMetadata().getNamespace())
                .withName(canary.getMetadata().getName()).get();
        if (canary == null || !eligible(canary)) {
            return;
        }
        decision = StepDecider.decide(canary, plan, interval, deadline, now);
        if (decision instanceof Check) {
            StepAnalysis.Result result = analysis.analyze(canary, interval, now);
            metrics.checked(result.record().result);
            int threshold = spec.analysis == null || spec.analysis.failureThreshold == null
                    ? StepDecider.DEFAULT_FAILURE_THRESHOLD
                    : spec.analysis.failureThreshold;
            Decision next = StepDecider.afterCheck(canary, plan, result.verdict(), threshold,
                    spec.onComplete == dev.serin.api.v1alpha1.AutopilotSpec.OnComplete.Promote, interval, now);
            act(canary, next, result.record(), now);
        } else {
            act(canary, decision, null, now);
        }
    }

    private void act(Canary canary, Decision decision, AnalysisRecord record, Instant now) {
        String stamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        if (decision instanceof Rebase r) {
            status.updateRetrying(canary, s -> {
                s.stepIndex = r.stepIndex();
                s.stepWeight = canary.getSpec().weight;
                s.lastWeightChange = stamp;
                s.nextStepAt = r.nextStepAt().truncatedTo(ChronoUnit.SECONDS).toString();
                s.failedChecks = 0;
            });
            metrics.step(canary.getMetadata().getNamespace(), canary.getMetadata().getName(), r.stepIndex());
            if (r.byHand()) {
                events.normal(canary, "ManualOverride", "weight set by hand to " + canary.getSpec().weight
                        + " %; the autopilot carries on from the next step above it at " + r.nextStepAt());
            }
        } else if (decision instanceof Advance a) {
            // status first, then the spec: the reconciler reacts to the spec and must find the step recorded
            status.updateRetrying(canary, s -> {
                s.stepIndex = a.stepIndex();
                s.stepWeight = a.weight().percent();
                s.lastWeightChange = stamp;
                s.nextStepAt = a.nextStepAt().truncatedTo(ChronoUnit.SECONDS).toString();
                s.failedChecks = 0;
                remember(s, record);
            });
            rollback.setWeight(canary, a.weight().percent());
            metrics.step(canary.getMetadata().getNamespace(), canary.getMetadata().getName(), a.stepIndex());
            events.normal(canary, "StepAdvanced", "analysis passed; weight " + canary.getSpec().weight + " → "
                    + a.weight() + " % (step " + (a.stepIndex() + 1) + ")");
        } else if (decision instanceof Hold h) {
            status.updateRetrying(canary, s -> {
                s.failedChecks = h.failedChecks();
                s.nextStepAt = h.nextStepAt().truncatedTo(ChronoUnit.SECONDS).toString();
                remember(s, record);
                if (h.complete()) {
                    Conditions.set(s.conditions, Conditions.of(CONDITION, true, "Completed", "last step reached; holding until a person acts"));
                }
            });
            if (record != null && "Fail".equals(record.result)) {
                events.warning(canary, "AnalysisFailed", "check failed (" + h.failedChecks() + " in a row): "
                        + describe(record));
            }
        } else if (decision instanceof Abort a) {
            rollback.abort(canary, a.reason(), a.message(), record);
        } else if (decision instanceof Promote) {
            status.updateRetrying(canary, s -> {
                s.phase = Promoting;
                remember(s, record);
                Conditions.set(s.conditions, Conditions.of(CONDITION, true, "Promoting", "last step passed; promoting the canary"));
            });
            events.normal(canary, "Promoting", "last step passed; promoting " + canary.getMetadata().getName());
        }
    }

    static void remember(CanaryStatus s, AnalysisRecord record) {
        if (record == null) {
            return;
        }
        List<AnalysisRecord> records = s.analysis == null ? new ArrayList<>() : new ArrayList<>(s.analysis);
        records.add(record);
        s.analysis = records.subList(Math.max(0, records.size() - KEPT_RECORDS), records.size());
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
