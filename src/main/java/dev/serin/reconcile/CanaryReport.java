package dev.serin.reconcile;

import static dev.serin.api.v1alpha1.ConditionTypes.CANARY_READY;
import static dev.serin.api.v1alpha1.ConditionTypes.VALID;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.metrics.CanaryMetrics;
import dev.serin.traffic.Weight;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What a reconcile pass reports of a live Canary: its status (phase, weight, pods, conditions, the observed share)
 * through the status subresource, the Event that goes with a change of its traffic condition or a refusal, and the
 * weight gauges.
 */
@ApplicationScoped
public class CanaryReport {
    private final StatusWriter status;
    private final EventRecorder events;
    private final CanaryMetrics metrics;
    private final ObservedShareSource observed;
    private final CanaryDeployments deployments;
    private final TrafficEvents trafficEvents;

    public CanaryReport(StatusWriter status, EventRecorder events, CanaryMetrics metrics, ObservedShareSource observed,
            CanaryDeployments deployments, TrafficEvents trafficEvents) {
        this.status = status;
        this.events = events;
        this.metrics = metrics;
        this.observed = observed;
        this.deployments = deployments;
        this.trafficEvents = trafficEvents;
    }

    /** Failed, with Valid=False and the reason; one Warning Event per reason. */
    void rejected(Canary canary, Invalid invalid) {
        CanaryStatus before = status.write(canary, s -> {
            s.phase = Phase.Failed;
            Conditions.set(s.conditions, Conditions.of(VALID, false, invalid.reason(), invalid.message()));
        }).before();
        // one Event per reason: a second pass on a cache without the first pass's status must not warn again
        Condition previous = Conditions.find(before.conditions, VALID);
        if (previous == null || !"False".equals(previous.getStatus()) || !invalid.reason().equals(previous.getReason())) {
            events.warning(canary, invalid.reason(), invalid.message());
        }
        metrics.weights(canary.getMetadata().getNamespace(), canary.getMetadata().getName(),
                canary.getSpec() == null ? null : canary.getSpec().weight,
                canary.getStatus() == null ? null : canary.getStatus().weight);
    }

    /** Writes the status of a valid Canary; returns the phase it has now. */
    Phase written(Canary canary, ResolvedCanary resolved, Deployment deployment, int needed, Weight applied,
            Condition trafficCondition) {
        int ready = deployments.readyReplicas(deployment);
        Double weight = applied == null ? null : applied.percent();
        boolean atDesired = weight != null && weight.equals(canary.getSpec().weight)
                && "True".equals(trafficCondition.getStatus());
        StatusWriter.Written written = status.write(canary, s -> {
            s.phase = phase(canary, s.phase, atDesired);
            status.setWeight(s, weight);
            s.canaryDeployment = deployment == null ? null : resolved.deploymentName();
            s.replicas = deployment == null ? null : deployment.getSpec().getReplicas();
            s.readyReplicas = deployment == null ? null : ready;
            Conditions.set(s.conditions, Conditions.of(VALID, true, "Valid", "spec is valid"));
            Conditions.set(s.conditions, ready >= needed && deployment != null
                    ? Conditions.of(CANARY_READY, true, "PodsReady", ready + "/" + needed + " canary pods ready")
                    : Conditions.of(CANARY_READY, false, deployment == null ? "NotCreated" : "PodsNotReady",
                            deployment == null ? "canary Deployment not created yet"
                                    : ready + "/" + needed + " canary pods ready"));
            Conditions.set(s.conditions, trafficCondition);
            s.observed = observed.merge(canary, s); // measured off this thread; written only when it moved
        });
        trafficEvents.reported(canary, written.before(), trafficCondition);
        metrics.weights(resolved.namespace(), resolved.name(), canary.getSpec().weight, weight);
        return written.after().phase;
    }

    /** Paused follows spec.paused; Aborted stays until a person resumes; otherwise Progressing once at the weight. */
    private static Phase phase(Canary canary, Phase current, boolean atDesired) {
        if (current == Phase.Aborted) {
            return current;
        }
        if (Boolean.TRUE.equals(canary.getSpec().paused)) {
            return Phase.Paused;
        }
        return atDesired || current == Phase.Progressing || current == Phase.Paused ? Phase.Progressing : Phase.Initializing;
    }
}
