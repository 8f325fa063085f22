package dev.serin.autopilot;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.reconcile.Conditions;
import dev.serin.reconcile.EventRecorder;
import dev.serin.reconcile.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Requests a person makes of a Canary — abort, promote, resume — arrive as the annotation {@code serin.dev/action}
 * (set by the REST API, the kubectl plugin or by hand), so every replica can take them while only the leader
 * acts: it carries the request out, then removes the annotation.
 */
@ApplicationScoped
public class CanaryActions {
    public static final String ANNOTATION = "serin.dev/action";

    private final KubernetesClient client;
    private final StatusWriter status;
    private final EventRecorder events;
    private final Rollback rollback;

    public CanaryActions(KubernetesClient client, StatusWriter status, EventRecorder events, Rollback rollback) {
        this.client = client;
        this.status = status;
        this.events = events;
        this.rollback = rollback;
    }

    public static String requested(Canary canary) {
        Map<String, String> annotations = canary.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ANNOTATION);
    }

    /** Carries out the requested action and clears the request. */
    public void handle(Canary canary, String action) {
        switch (action) {
            case "abort" -> rollback.abort(canary, "AbortedByUser", "aborted on request", null);
            case "promote" -> {
                status.updateRetrying(canary, s -> {
                    s.phase = Phase.Promoting;
                    s.nextStepAt = null;
                    Conditions.set(s.conditions, Conditions.of(Autopilot.CONDITION, true, "Promoting", "promotion requested"));
                });
                events.normal(canary, "Promoting", "promotion requested");
            }
            case "resume" -> {
                Phase phase = canary.getStatus() == null ? null : canary.getStatus().phase;
                if (phase == Phase.Aborted) {
                    status.updateRetrying(canary, s -> {
                        s.phase = Phase.Progressing;
                        s.stepIndex = null;
                        s.stepWeight = null;
                        s.lastWeightChange = null;
                        s.nextStepAt = null;
                        s.failedChecks = 0;
                        Conditions.set(s.conditions, Conditions.of(Autopilot.CONDITION, true, "Resumed",
                                "resumed after an abort; stepping from the current weight"));
                    });
                    events.normal(canary, "Resumed", "resumed after an abort");
                }
            }
            default -> events.warning(canary, "UnknownAction",
                    ANNOTATION + "=" + action + " is not one of abort, promote, resume; ignored");
        }
        client.resources(Canary.class).inNamespace(canary.getMetadata().getNamespace())
                .resource(canary).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":null}}}");
    }
}
