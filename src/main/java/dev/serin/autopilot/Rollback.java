package dev.serin.autopilot;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.metrics.AutopilotMetrics;
import dev.serin.reconcile.Conditions;
import dev.serin.reconcile.EventRecorder;
import dev.serin.reconcile.StatusWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;

/** Writes the autopilot's changes to spec.weight, and rolls a canary back to weight 0. */
@ApplicationScoped
public class Rollback {
    private final KubernetesClient client;
    private final StatusWriter status;
    private final EventRecorder events;
    private final AutopilotMetrics metrics;

    public Rollback(KubernetesClient client, StatusWriter status, EventRecorder events, AutopilotMetrics metrics) {
        this.client = client;
        this.status = status;
        this.events = events;
        this.metrics = metrics;
    }

    /** Weight 0 at once, phase Aborted, the reason in status and an Event. Pods stay, scaled to one. */
    public void abort(Canary canary, String reason, String message, AnalysisRecord record) {
        // status first: the reconciler reacting to the new weight must already find the canary Aborted
        status.updateRetrying(canary, s -> {
            s.phase = Phase.Aborted;
            s.stepWeight = 0.0;
            s.nextStepAt = null;
            Autopilot.remember(s, record);
            Conditions.set(s.conditions, Conditions.of(Autopilot.CONDITION, false, reason, message));
        });
        setWeight(canary, 0.0);
        metrics.rolledBack();
        events.warning(canary, reason, "rolled back to weight 0: " + message);
    }

    /** A patch of spec.weight alone, decided on a fresh read: whatever else people changed stays theirs. */
    public void setWeight(Canary canary, double weight) {
        if (canary.getSpec() == null || Double.valueOf(weight).equals(canary.getSpec().weight)) {
            return;
        }
        client.resources(Canary.class).inNamespace(canary.getMetadata().getNamespace())
                .resource(canary).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"weight\":" + weight + "}}");
    }
}
