package dev.serin.reconcile;

import static dev.serin.api.v1alpha1.ConditionTypes.TRAFFIC_APPLIED;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.cluster.ClusterCache;
import dev.serin.config.SerinConfig;
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
 * wait until its rollout is complete (the stable backend then selects pods running the new version); then take
 * the canary out of traffic and remove it exactly as a stop does; phase Succeeded. The target keeps its own
 * version label value, so the stable backend never has to move while traffic flows.
 * Until the target is written the {@link PromoteGate} is asked on every pass, and a closed gate stops the promote with
 * nothing written to the target. Before its first write to the target a promote records {@code Autopilot=True
 * UpdatingTarget}; from then on (or once the target carries the canary's containers) it finishes.
 */
@ApplicationScoped
public class CanaryPromoter {
    /** How often a promote waiting on the target's rollout (or on git) looks again: serin.reconcile.recheck. */
    private final Duration rolloutPoll;
    static final String UPDATING_TARGET = "UpdatingTarget";

    private final ClusterCache cache;
    private final KubernetesClient client;
    private final CanaryStopper stopper;
    private final StatusWriter status;
    private final EventRecorder events;
    private final AutopilotMetrics metrics;
    private final PromoteGate gate;

    public CanaryPromoter(ClusterCache cache, KubernetesClient client, CanaryStopper stopper, StatusWriter status,
            EventRecorder events, AutopilotMetrics metrics, PromoteGate gate, SerinConfig config) {
        this.rolloutPoll = config.reconcile().recheck();
        this.gate = gate;
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
        if (!committed(canary) && !carries(canary, target, gitOps.isPresent())) {
            Optional<PromoteGate.Refusal> refused = gate.whilePromoting(canary);
            if (refused.isPresent()) {
                return refuse(canary, resolved, refused.get());
            }
        }
        if (gitOps.isPresent() && !GitOpsPromotion.carriesImages(canary, target)) {
            // the next sync would revert a write: git must carry the images; until then the canary keeps serving
            Condition waiting = GitOpsPromotion.waiting(canary, resolved.target(), gitOps.get());
            status.update(canary, s -> Conditions.set(s.conditions, waiting));
            return Optional.of(rolloutPoll);
        }
        List<Container> promoted = gitOps.isPresent() ? target.getSpec().getTemplate().getSpec().getContainers()
                : promotedContainers(canary, target);
        if (!Objects.equals(promoted, target.getSpec().getTemplate().getSpec().getContainers())) {
            if (!committed(canary)) { // first: whatever a later pass finds in its cache, it finishes this promote
                status.update(canary, s -> Conditions.set(s.conditions, Conditions.of("Autopilot", true, UPDATING_TARGET,
                        "copying the canary's containers into Deployment " + resolved.target()
                                + "; the promote finishes from here")));
            }
            Deployment updated = client.getKubernetesSerialization().clone(target);
            updated.getSpec().getTemplate().getSpec().setContainers(promoted);
            cache.wrote(target.getMetadata().getResourceVersion(),
                    client.apps().deployments().inNamespace(resolved.namespace()).resource(updated).update());
            events.normal(canary, "Promoting", "copied the canary's containers into Deployment " + resolved.target()
                    + "; waiting for its rollout");
            return Optional.of(rolloutPoll);
        }
        if (!rolledOut(target)) {
            status.update(canary, s -> Conditions.set(s.conditions, Conditions.of(TRAFFIC_APPLIED, true,
                    "WaitingForStableRollout", "Deployment " + resolved.target() + " is rolling out the new version")));
            return Optional.of(rolloutPoll);
        }
        Optional<Duration> again = stopper.teardown(canary);
        if (again.isPresent()) {
            return again;
        }
        StatusWriter.Written done = status.write(canary, s -> {
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
        if (done.before().phase != Phase.Succeeded) { // else a pass on a cache behind: promoted and said already
            metrics.promoted();
            events.normal(canary, "Promoted", "Deployment " + resolved.target() + " now runs the canary's version");
        }
        return Optional.empty();
    }

    /** This promote passed the gate and began writing the target (recorded before the write): it finishes. */
    private static boolean committed(Canary canary) {
        Condition autopilot = canary.getStatus() == null ? null : Conditions.find(canary.getStatus().conditions, "Autopilot");
        return autopilot != null && UPDATING_TARGET.equals(autopilot.getReason());
    }

    /**
     * The target's pod template has what this promote puts there (under GitOps: synced from git), so from here the
     * promote finishes whatever the gate says.
     */
    private boolean carries(Canary canary, Deployment target, boolean gitOps) {
        return gitOps ? GitOpsPromotion.carriesImages(canary, target)
                : Objects.equals(promotedContainers(canary, target), target.getSpec().getTemplate().getSpec().getContainers());
    }

    private List<Container> promotedContainers(Canary canary, Deployment target) {
        return CanaryDeploymentBuilder.patchContainers(
                client.getKubernetesSerialization().clone(target).getSpec().getTemplate().getSpec().getContainers(), canary);
    }

    /**
     * The gate closed before anything reached the target (say the Canary became invalid, or its pods unready): the
     * promote stops, the canary keeps serving as before, and the next pass treats it as any Progressing Canary.
     */
    private Optional<Duration> refuse(Canary canary, ResolvedCanary resolved, PromoteGate.Refusal refused) {
        Canary fresh = client.resources(Canary.class).inNamespace(resolved.namespace()).withName(resolved.name()).get();
        if (fresh == null || committed(fresh)) {
            return Optional.of(Duration.ZERO); // the cache is behind this promote's own commit: look again
        }
        String message = "promotion stopped before Deployment " + resolved.target() + " was changed: " + refused.describe();
        status.update(canary, s -> {
            s.phase = Boolean.TRUE.equals(canary.getSpec().paused) ? Phase.Paused : Phase.Progressing;
            s.nextStepAt = null; // an autopilot waits a full interval at its step again before it promotes again
            Conditions.set(s.conditions, Conditions.of("Autopilot", false, "PromoteRefused", message));
            if (Conditions.find(s.conditions, GitOpsPromotion.CONDITION) != null) {
                Conditions.set(s.conditions, Conditions.of(GitOpsPromotion.CONDITION, false, "PromoteRefused", message));
            }
        });
        events.warning(canary, "PromoteRefused", message);
        return Optional.empty(); // the phase change brings the next pass
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
