package dev.serin.traffic;

import java.time.Instant;
import java.util.Optional;

/**
 * One service mesh's way of splitting traffic between stable and canary pods. Reads come from caches;
 * each write method returns true when it changed something, so the caller can wait for it to settle.
 */
public interface TrafficRouter {
    RouteState observe(TrafficTarget target);

    /** Makes the stable and canary subsets exist (creating the rule if missing) before any route names them. */
    boolean ensureSubsets(TrafficTarget target);

    /** Writes the split into every route to the host (creating missing route sources), remembering the originals. */
    boolean applySplit(TrafficTarget target, Split split);

    /** Puts every split route back to the destinations it had before the Canary. */
    boolean restoreRoutes(TrafficTarget target);

    /** Removes the subsets the Canary added and deletes the objects created for it. Routes must be restored first. */
    boolean removeSubsets(TrafficTarget target);

    /**
     * Replaces the ownerReference to the Canary that an older Serin set on the objects it created with the label,
     * so that deleting the Canary in the foreground cannot take them before the weight is withdrawn.
     */
    boolean detachOwners(TrafficTarget target);

    /** When Serin last changed the Canary's subsets, as recorded on the objects (so it survives a restart). */
    default Optional<Instant> subsetsChangedAt(TrafficTarget target) {
        return Optional.empty();
    }

    /** When Serin last changed (or restored) any of the Canary's routes, as recorded on the objects. */
    default Optional<Instant> routesChangedAt(TrafficTarget target) {
        return Optional.empty();
    }
}
