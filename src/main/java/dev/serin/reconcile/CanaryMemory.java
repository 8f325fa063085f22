package dev.serin.reconcile;

/**
 * Something Serin keeps in memory per Canary (key {@code namespace/name}). The {@link Controller} tells every such
 * memory when a Canary is gone, when another Canary (another uid) took its name, and when this replica stopped
 * reconciling, so nothing a Canary left in memory reaches the next one of its name, nor a later leadership.
 */
public interface CanaryMemory {
    /** The Canary {@code namespace/name} is gone, or a new Canary took its name: drop what was kept for it. */
    void forget(String key);

    /** This replica stopped reconciling (it lost the lease or shuts down): drop what was kept for every Canary. */
    void forgetAll();
}
