package dev.serin.autopilot;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.reconcile.Conditions;
import dev.serin.reconcile.EventRecorder;
import dev.serin.reconcile.PromoteGate;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Requests a person makes of a Canary — abort, promote, resume — arrive as the annotation {@code serin.dev/action}
 * (set by the REST API, the kubectl plugin or by hand), so every replica can take them while only the leader
 * acts: its reconcile of the Canary carries the request out, then removes the annotation. Each write is locked to
 * the resourceVersion the request was read at; a crash part-way leaves the annotation, and the request is done again.
 * A promote that {@link PromoteGate} refuses is dropped with one Warning Event ({@code PromoteRefused}) and changes
 * nothing else.
 */
@ApplicationScoped
public class CanaryActions {
    public static final String ANNOTATION = Canary.ACTION_ANNOTATION;

    private final StepWrites writes;
    private final EventRecorder events;
    private final PromoteGate gate;
    private final Clock clock;

    public CanaryActions(StepWrites writes, EventRecorder events, PromoteGate gate, Clock clock) {
        this.writes = writes;
        this.events = events;
        this.gate = gate;
        this.clock = clock;
    }

    public static String requested(Canary canary) {
        Map<String, String> annotations = canary.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ANNOTATION);
    }

    /** Carries out the requested action and clears the request. */
    public void handle(Canary canary, String action) {
        Phase phase = canary.getStatus() == null ? null : canary.getStatus().phase;
        Canary written = canary;
        switch (action) {
            case "abort" -> {
                if (phase != Phase.Aborted) {
                    written = writes.abort(canary, "AbortedByUser", "aborted on request", null);
                }
            }
            case "promote" -> {
                var refused = gate.forRequest(canary);
                if (refused.isPresent()) { // dropped, locked: a Canary changed since is decided again, with no Event yet
                    writes.clearRequest(canary);
                    String target = canary.getSpec().targetRef == null ? "" : " " + canary.getSpec().targetRef.name;
                    events.warning(canary, "PromoteRefused", "promote request dropped, nothing written to Deployment"
                            + target + ": " + refused.get().describe());
                    return;
                }
                written = writes.status(canary, s -> {
                    s.phase = Phase.Promoting;
                    s.nextStepAt = null;
                    Conditions.set(s.conditions, Conditions.of(Autopilot.CONDITION, true, "Promoting", "promotion requested"));
                });
                events.normal(canary, "Promoting", "promotion requested");
            }
            case "resume" -> {
                if (phase == Phase.Aborted) {
                    written = resume(canary);
                }
            }
            default -> events.warning(canary, "UnknownAction",
                    ANNOTATION + "=" + action + " is not one of abort, promote, resume; ignored");
        }
        writes.clearRequest(written);
    }

    /**
     * Back from Aborted: the autopilot starts again from its first step (spec.weight set to it first, so a crash
     * before the status write resumes the same way); without an autopilot, traffic returns to spec.weight.
     */
    private Canary resume(Canary canary) {
        var autopilot = canary.getSpec().autopilot;
        var plan = autopilot == null ? java.util.Optional.<StepPlan>empty() : StepPlan.of(autopilot);
        Canary written = plan.isEmpty() ? canary : writes.weight(canary, plan.get().weight(0).percent());
        Instant now = clock.instant();
        written = writes.status(written, s -> {
            s.phase = Phase.Progressing;
            s.stepIndex = plan.isEmpty() ? null : 0;
            s.stepWeight = plan.isEmpty() ? null : plan.get().weight(0).percent();
            s.lastWeightChange = plan.isEmpty() ? null : now.truncatedTo(ChronoUnit.SECONDS).toString();
            s.nextStepAt = null; // the first step's interval starts when the routes carry it again
            s.failedChecks = 0;
            Conditions.set(s.conditions, Conditions.of(Autopilot.CONDITION, true, "Resumed", plan.isEmpty()
                    ? "resumed after an abort" : "resumed after an abort; stepping again from the first step"));
        });
        events.normal(canary, "Resumed", "resumed after an abort"
                + (plan.isEmpty() ? "" : "; weight back to the first step, " + plan.get().weight(0) + " %"));
        return written;
    }
}
