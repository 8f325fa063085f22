package dev.serin.traffic;

/**
 * Everything a router needs to split one host between the stable and canary pods of one Canary. Objects the router
 * creates for it are labelled {@code serin.dev/canary=<canary>}, and are recognised by that label alone. Derived from
 * the Canary by {@link TrafficTargets}, so the reconcile never reads a dialect's fields itself.
 *
 * @param routes        the routes to split and, for a dialect that has one, the object holding the backends
 * @param versionLabel  the pod label that tells stable from canary pods
 * @param stableVersion value of {@code versionLabel} on stable pods; null when unknown (only a stop may then run)
 * @param canaryVersion value of {@code versionLabel} on canary pods; null when unknown (only a stop may then run)
 * @param testers       the tester routes to write beside the split; {@link Testers#NONE} removes them
 */
public record TrafficTarget(
        String namespace,
        String canary,
        String host,
        Routes routes,
        String versionLabel,
        String stableVersion,
        String canaryVersion,
        Testers testers) {

    public TrafficTarget {
        testers = testers == null ? Testers.NONE : testers;
    }

    /** A target without tester routes (so a write removes any there are). */
    public TrafficTarget(String namespace, String canary, String host, Routes routes, String versionLabel,
            String stableVersion, String canaryVersion) {
        this(namespace, canary, host, routes, versionLabel, stableVersion, canaryVersion, Testers.NONE);
    }

    public TrafficTarget withTesters(Testers desired) {
        return new TrafficTarget(namespace, canary, host, routes, versionLabel, stableVersion, canaryVersion, desired);
    }

    public String dialect() {
        return routes.dialect();
    }
}
