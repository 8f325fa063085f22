package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.config.SerinConfig;
import dev.serin.traffic.Weight;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Canary pods lost while they carry traffic: once the ready pods have stayed fewer than the routes' canary share
 * needs ({@link ReplicaPlan}) for longer than {@code serin.traffic.settle}, the weight goes down to what the ready
 * pods can carry of the desired weight (0 with none ready). Measured against the desired weight, never the routes'
 * share, so the lowered weight is a fixed point: the next pass finds the same value and writes nothing. When the
 * shortfall began is kept in memory: after a restart it is timed again, and a Canary created again under the same
 * name starts with none.
 */
@ApplicationScoped
public class PodShortfall implements CanaryMemory {
    static final String REASON = "CanaryPodsUnavailable";

    /**
     * @param lowerTo the weight the ready pods can carry, when it is time to lower to it
     * @param recheck when to look again while the shortfall is still within the settle; zero otherwise
     */
    public record Verdict(Optional<Weight> lowerTo, Duration recheck) {
        static final Verdict NONE = new Verdict(Optional.empty(), Duration.ZERO);
    }

    private final Map<String, Instant> since = new ConcurrentHashMap<>();
    private final Set<String> lowered = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final Duration settle;

    public PodShortfall(Clock clock, SerinConfig config) {
        this.clock = clock;
        this.settle = config.traffic().settle();
    }

    /**
     * {@code routed}: the most any route sends to the canary now; {@code desired}: the weight the Canary asks for;
     * {@code ready}: canary pods ready now.
     */
    Verdict check(String key, Integer fixed, Deployment target, Weight routed, Weight desired, int ready,
            UnaryOperator<Weight> writable) {
        if (routed.basisPoints() == 0 || ready >= ReplicaPlan.replicasFor(fixed, target, routed)) {
            since.remove(key);
            return Verdict.NONE;
        }
        Instant now = clock.instant();
        Instant start = since.computeIfAbsent(key, k -> now);
        Duration left = Duration.between(now, start.plus(settle));
        if (!left.isNegative() && !left.isZero()) {
            return new Verdict(Optional.empty(), left);
        }
        return new Verdict(Optional.of(carried(fixed, target, desired, ready, writable)), Duration.ZERO);
    }

    @Override
    public void forget(String key) {
        since.remove(key);
        lowered.remove(key);
    }

    @Override
    public void forgetAll() {
        since.clear();
        lowered.clear();
    }

    /**
     * Lowered for lost pods and not back at spec.weight yet: remembered here as well as in status (the reason
     * {@value #REASON}), because the cached Canary a pass starts from can still lack the status the previous pass wrote,
     * and a restart has only the status.
     */
    boolean lowered(String key, Canary canary) {
        return lowered.contains(key) || TrafficEvents.wasLowered(canary);
    }

    void lowering(String key) {
        lowered.add(key);
    }

    void recovered(String key) {
        lowered.remove(key);
    }

    /**
     * The share {@code ready} pods carry at the load per pod the plan gives them at {@code desired}; never more, and
     * rounded down to what the router can write ({@code writable}).
     */
    Weight carried(Integer fixed, Deployment target, Weight desired, int ready, UnaryOperator<Weight> writable) {
        if (ready <= 0) {
            return Weight.ZERO;
        }
        long basisPoints = fixed != null
                ? (long) desired.basisPoints() * ready / Math.max(1, fixed)
                : (long) ready * Weight.FULL / Math.max(1, ReplicaPlan.stableReplicas(target));
        int capped = (int) Math.min(desired.basisPoints(), basisPoints);
        return writable.apply(new Weight(capped));
    }
}
