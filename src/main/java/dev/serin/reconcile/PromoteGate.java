package dev.serin.reconcile;

import static dev.serin.api.v1alpha1.ConditionTypes.CANARY_READY;
import static dev.serin.api.v1alpha1.ConditionTypes.TRAFFIC_APPLIED;
import static dev.serin.api.v1alpha1.ConditionTypes.VALID;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.cluster.ClusterCache;
import dev.serin.traffic.Weight;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a Canary may be promoted — have its containers copied into the target Deployment: only a valid Canary,
 * {@code Progressing} or {@code Paused} (holding at its last step is Progressing), whose canary pods run its current
 * template and are ready, and whose weight is applied and above 0. An {@code Aborted} Canary must be resumed first.
 * The REST API asks {@link #ofStatus} (what the controller last wrote); the controller asks again on its cache
 * ({@link #forRequest}, {@link #whilePromoting}) before it writes the target.
 */
@ApplicationScoped
public class PromoteGate {
    /** Why not: {@code reason} is short ({@code Invalid: TargetAlreadyHasCanary}, {@code NotReady}, {@code Aborted}). */
    public record Refusal(String reason, String message) {
        public String describe() {
            return reason + " — " + message;
        }
    }

    private final ClusterCache cache;
    private final TrafficPlan plan;
    private final CanaryDeployments deployments;

    public PromoteGate(ClusterCache cache, TrafficPlan plan, CanaryDeployments deployments) {
        this.cache = cache;
        this.plan = plan;
        this.deployments = deployments;
    }

    /** The gate on the Canary's status as the controller last wrote it. Pure. */
    public static Optional<Refusal> ofStatus(Canary canary) {
        CanaryStatus s = canary.getStatus();
        Condition valid = s == null ? null : Conditions.find(s.conditions, VALID);
        if (valid == null) {
            return refuse("NotObserved", "Serin has not checked this Canary yet");
        }
        if (!"True".equals(valid.getStatus())) {
            return refuse("Invalid: " + valid.getReason(), valid.getMessage());
        }
        if (s.phase == Phase.Aborted) {
            return refuse("Aborted", "the canary was aborted; resume it first");
        }
        if (s.phase == Phase.Promoting) {
            return refuse("Promoting", "it is being promoted already");
        }
        if (s.phase != Phase.Progressing && s.phase != Phase.Paused) {
            return refuse(String.valueOf(s.phase), "only a Progressing or Paused canary is promoted");
        }
        if (!Objects.equals(s.observedGeneration, canary.getMetadata().getGeneration())) {
            return refuse("NotObserved", "Serin has not acted on the latest spec yet (generation "
                    + canary.getMetadata().getGeneration() + "; the status describes " + s.observedGeneration + ")");
        }
        if (!Conditions.isTrue(s.conditions, CANARY_READY)) {
            Condition ready = Conditions.find(s.conditions, CANARY_READY);
            return refuse("NotReady", ready == null ? "the canary pods are not ready" : ready.getMessage());
        }
        Weight applied = s.weight == null ? Weight.ZERO : Weight.ofPercent(s.weight).orElse(Weight.ZERO);
        if (applied.basisPoints() == 0) {
            return noTraffic();
        }
        Double spec = canary.getSpec() == null ? null : canary.getSpec().weight;
        Optional<Weight> desired = spec == null ? Optional.empty() : Weight.ofPercent(spec);
        if (!Conditions.isTrue(s.conditions, TRAFFIC_APPLIED) || desired.isEmpty() || !desired.get().equals(applied)) {
            return refuse("WeightNotApplied", "traffic gets " + applied + " %, spec.weight is "
                    + desired.map(Weight::toString).orElse(String.valueOf(spec)) + " %: wait until the weight is applied");
        }
        return Optional.empty();
    }

    /** A request to promote, on the Canary as the reconcile has it: its status, then the cluster as cached now. */
    public Optional<Refusal> forRequest(Canary canary) {
        return ofStatus(canary).or(() -> onCluster(canary));
    }

    /**
     * A Canary in phase Promoting whose target does not carry its containers yet: still valid, pods still ready, still
     * serving (the status is not rewritten while promoting, so this looks at the cluster).
     */
    public Optional<Refusal> whilePromoting(Canary canary) {
        return onCluster(canary).or(() -> {
            Double weight = canary.getStatus() == null ? null : canary.getStatus().weight;
            return weight == null || weight <= 0 ? noTraffic() : Optional.empty();
        });
    }

    private Optional<Refusal> onCluster(Canary canary) {
        ResolvedCanary resolved = ResolvedCanary.of(canary);
        Deployment target = resolved.target() == null ? null : cache.deployment(resolved.namespace(), resolved.target());
        Optional<Invalid> invalid = CanaryValidator.validate(canary, resolved, target,
                cache.canaries(resolved.namespace()), plan.weightCheck(canary));
        if (invalid.isPresent()) {
            return refuse("Invalid: " + invalid.get().reason(), invalid.get().message());
        }
        Deployment pods = cache.deployment(resolved.namespace(), resolved.deploymentName());
        int needed = pods == null || pods.getSpec().getReplicas() == null ? 1 : Math.max(1, pods.getSpec().getReplicas());
        if (pods == null || !deployments.ownedBy(pods, resolved)
                || !deployments.ready(pods, canary, resolved, target, needed)) {
            return refuse("NotReady", deployments.readyReplicas(pods) + "/" + needed
                    + " canary pods running the current template are ready");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> noTraffic() {
        return refuse("NoTraffic", "the canary gets no traffic: promote one that has served at a weight above 0");
    }

    private static Optional<Refusal> refuse(String reason, String message) {
        return Optional.of(new Refusal(reason, message));
    }
}
