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
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The autopilot's writes, each locked to the resourceVersion of the Canary it was decided on (a 409 when the Canary
 * changed since: the reconcile decides again). Each returns the Canary as written, for a next write to lock on.
 */
@ApplicationScoped
public class StepWrites {
    private static final int CONFLICT_RETRIES = 5;
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

    /**
     * The second write of a step whose status write landed ({@code written}): spec.weight from {@code from} to
     * {@code to}. A 409 here means the Canary changed after the status write; the weight is written again on the
     * Canary as it is now while that is still the spec the step was decided on (same generation, weight still
     * {@code from}, no request pending, status still at this step). Otherwise the change is a person's and stays
     * theirs: the next pass takes it over. Without this, a half-written step would look like a weight set by hand.
     */
    public Canary stepWeight(Canary written, double from, double to) {
        Canary current = written;
        for (int attempt = 1;; attempt++) {
            try {
                return weight(current, to);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
                current = client.resources(Canary.class).inNamespace(written.getMetadata().getNamespace())
                        .withName(written.getMetadata().getName()).get();
                if (!stillAtStep(current, written, from, to)) {
                    return current;
                }
            }
        }
    }

    private static boolean stillAtStep(Canary current, Canary written, double from, double to) {
        return current != null && current.getMetadata().getDeletionTimestamp() == null
                && Objects.equals(current.getMetadata().getGeneration(), written.getMetadata().getGeneration())
                && current.getSpec() != null && Double.valueOf(from).equals(current.getSpec().weight)
                && CanaryActions.requested(current) == null
                && current.getStatus() != null && Double.valueOf(to).equals(current.getStatus().stepWeight);
    }

    /** Removes a handled request, unless the Canary changed since (then the next pass sees it again). */
    public Canary clearRequest(Canary canary) {
        return client.resources(Canary.class).inNamespace(canary.getMetadata().getNamespace())
                .withName(canary.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"metadata\":{\"resourceVersion\":\"" + canary.getMetadata().getResourceVersion() + "\","
                                + "\"annotations\":{\"" + CanaryActions.ANNOTATION + "\":null}}}");
    }
}
