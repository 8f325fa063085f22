package dev.serin.autopilot;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.metrics.AutopilotMetrics;
import dev.serin.reconcile.Conditions;
import dev.serin.reconcile.EventRecorder;
import dev.serin.reconcile.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Consumer;

/**
 * The autopilot's writes, each locked to the resourceVersion of the Canary it was decided on (a 409 when the Canary
 * changed since: the reconcile decides again). Each returns the Canary as written, for a next write to lock on.
 */
@ApplicationScoped
public class StepWrites {
    private final KubernetesClient client;
    private final StatusWriter status;
    private final EventRecorder events;
    private final AutopilotMetrics metrics;

    public StepWrites(KubernetesClient client, StatusWriter status, EventRecorder events, AutopilotMetrics metrics) {
        this.client = client;
        this.status = status;
        this.events = events;
        this.metrics = metrics;
    }

    public Canary status(Canary canary, Consumer<CanaryStatus> change) {
        return status.updateLocked(canary, change);
    }

    /**
     * Phase Aborted, the reason in status and an Event: one write. spec.weight stays as it is; the reconciler routes
     * nothing to an aborted canary and keeps one pod once no route sends to it.
     */
    public Canary abort(Canary canary, String reason, String message, AnalysisRecord record) {
        Canary written = status(canary, s -> {
            s.phase = Phase.Aborted;
            s.nextStepAt = null;
            Autopilot.remember(s, record);
            Conditions.set(s.conditions, Conditions.of(Autopilot.CONDITION, false, reason, message));
        });
        metrics.rolledBack();
        events.warning(canary, reason, "aborted, the canary's traffic withdrawn: " + message);
        return written;
    }

    /** A patch of spec.weight alone: whatever else people changed stays theirs. */
    public Canary weight(Canary canary, double weight) {
        if (canary.getSpec() == null || Double.valueOf(weight).equals(canary.getSpec().weight)) {
            return canary;
        }
        return client.resources(Canary.class).inNamespace(canary.getMetadata().getNamespace())
                .withName(canary.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"resourceVersion\":\"" + canary.getMetadata().getResourceVersion() + "\"},"
                                + "\"spec\":{\"weight\":" + weight + "}}");
    }

    /** Removes a handled request, unless the Canary changed since (then the next pass sees it again). */
    public Canary clearRequest(Canary canary) {
        return client.resources(Canary.class).inNamespace(canary.getMetadata().getNamespace())
                .withName(canary.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"resourceVersion\":\"" + canary.getMetadata().getResourceVersion() + "\","
                                + "\"annotations\":{\"" + CanaryActions.ANNOTATION + "\":null}}}");
    }
}
