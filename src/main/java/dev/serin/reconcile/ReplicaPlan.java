package dev.serin.reconcile;

import dev.serin.traffic.Weight;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** How many canary pods a share of traffic needs. */
public final class ReplicaPlan {
    private ReplicaPlan() {
    }

    /** {@code max(1, ceil(stable replicas × weight / 100))}, or the fixed count when the Canary sets one. */
    public static int replicasFor(Integer fixed, Deployment target, Weight weight) {
        if (fixed != null) {
            return fixed;
        }
        int stable = stableReplicas(target);
        long scaled = ((long) stable * weight.basisPoints() + Weight.FULL - 1) / Weight.FULL;
        return (int) Math.max(1, scaled);
    }

    public static int stableReplicas(Deployment target) {
        Integer replicas = target.getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }
}
