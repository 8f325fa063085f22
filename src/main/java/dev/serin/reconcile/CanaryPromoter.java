package dev.serin.reconcile;

import static dev.serin.api.v1alpha1.ConditionTypes.TRAFFIC_APPLIED;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.cluster.ClusterCache;
import dev.serin.metrics.AutopilotMetrics;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Promotes a canary, make-before-break at every step: copy the canary's containers into the target Deployment;
 * wait until its rollout is complete (the stable subset then selects pods running the new version); then take
 * the canary out of traffic and remove it exactly as a stop does; phase Succeeded. The target keeps its own
 * subset label value, so the stable subset never has to move while traffic flows.
 */
@ApplicationScoped
public class CanaryPromoter {
    private static final Duration ROLLOUT_POLL = Duration.ofSeconds(5);

    private final ClusterCache cache;
    private final KubernetesClient client;
    private final CanaryStopper stopper;
    private final StatusWriter status;
    private final EventRecorder events;
    private final AutopilotMetrics metrics;

    public CanaryPromoter(ClusterCache cache, KubernetesClient client, CanaryStopper stopper, StatusWriter status,
            EventRecorder events, AutopilotMetrics metrics) {
        this.cache = cache;
        this.client = client;
        this.stopper = stopper;
        this.status = status;
        this.events = events;
        this.metrics = metrics;
    }

    public Optional<Duration> promote(Canary canary) {
        ResolvedCanary resolved = ResolvedCanary.of(canary);
        Deployment target = cache.deployment(resolved.namespace(), resolved.target());
        if (target == null) {
            status.update(canary, s -> Conditions.set(s.conditions, Conditions.of("Autopilot", false,
                    "TargetNotFound", "cannot promote: Deployment " + resolved.target() + " is gone")));
            return Optional.empty();
        }
        Optional<String> gitOps = GitOps.managerOf(target);
        if (gitOps.isPresent() && !GitOpsPromotion.carriesImages(canary, target)) {
            // the next sync would revert a write: git must carry the images; until then the canary keeps serving
            Condition waiting = GitOpsPromotion.waiting(canary, resolved.target(), gitOps.get());
            status.update(canary, s -> Conditions.set(s.conditions, waiting));
            return Optional.of(ROLLOUT_POLL);
        }
        List<Container> promoted = gitOps.isPresent() ? target.getSpec().getTemplate().getSpec().getContainers()
                : CanaryDeploymentBuilder.patchContainers(
                client.getKubernetesSerialization().clone(target).getSpec().getTemplate().getSpec().getContainers(), canary);
        if (!Objects.equals(promoted, target.getSpec().getTemplate().getSpec().getContainers())) {
            Deployment updated = client.getKubernetesSerialization().clone(target);
            updated.getSpec().getTemplate().getSpec().setContainers(promoted);
            client.apps().deployments().inNamespace(resolved.namespace()).resource(updated).update();
            events.normal(canary, "Promoting", "copied the canary's containers into Deployment " + resolved.target()
                    + "; waiting for its rollout");
            return Optional.of(ROLLOUT_POLL);
        }
        if (!rolledOut(target)) {
            status.update(canary, s -> Conditions.set(s.conditions, Conditions.of(TRAFFIC_APPLIED, true,
                    "WaitingForStableRollout", "Deployment " + resolved.target() + " is rolling out the new version")));
            return Optional.of(ROLLOUT_POLL);
        }
        Optional<Duration> again = stopper.teardown(canary);
        if (again.isPresent()) {
            return again;
        }
        status.update(canary, s -> {
            s.phase = Phase.Succeeded;
            status.setWeight(s, 0.0);
            s.canaryDeployment = null;
            s.replicas = null;
            s.readyReplicas = null;
            s.nextStepAt = null;
            Conditions.set(s.conditions, Conditions.of("Autopilot", true, "Promoted",
                    "Deployment " + resolved.target() + " runs the canary's version; the canary is removed"));
            if (Conditions.find(s.conditions, GitOpsPromotion.CONDITION) != null) {
                Conditions.set(s.conditions, Conditions.of(GitOpsPromotion.CONDITION, true, "Promoted",
                        "Deployment " + resolved.target() + " runs the images from git; the canary is removed"));
            }
        });
        metrics.promoted();
        events.normal(canary, "Promoted", "Deployment " + resolved.target() + " now runs the canary's version");
        return Optional.empty();
    }

    /** The Deployment controller reports every replica updated and ready for the current generation. */
    static boolean rolledOut(Deployment d) {
        var s = d.getStatus();
        int replicas = ReplicaPlan.stableReplicas(d);
        if (s == null) {
            return false;
        }
        Long generation = d.getMetadata().getGeneration();
        boolean observed = generation == null || s.getObservedGeneration() == null || s.getObservedGeneration() >= generation;
        return observed && nz(s.getUpdatedReplicas()) >= replicas && nz(s.getReadyReplicas()) >= replicas
                && nz(s.getReplicas()) <= replicas;
    }

    private static int nz(Integer value) {
        return value == null ? 0 : value;
    }
}
