package dev.serin.traffic;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.Optional;
import java.util.Set;

/**
 * What Canaries left on one service mesh's objects, read from the caches. Serin marks every object it creates or
 * changes with the Canary's name (the label {@code serin.dev/canary} on what it created, its bookkeeping
 * annotations on what it changed), so a Canary that is gone can still be stopped from those objects alone.
 */
public interface TrafficLeftovers {
    /** Names of the Canaries, in the object's namespace, whose marks this route source or rule carries. */
    Set<String> canariesMarkedOn(GenericKubernetesResource object);

    /** Names of the Canaries whose marks the target's route sources and rule carry. */
    Set<String> canariesMarkedOn(TrafficTarget target);

    /** Every Canary with marks on a cached route source or rule. */
    Set<CanaryRef> markedCanaries();

    /**
     * What a stop needs for the Canary, derived from its marks alone (no versions: a stop needs none); empty when
     * it left nothing.
     */
    Optional<TrafficTarget> leftovers(String namespace, String canary);
}
