package dev.serin.traffic;

import java.util.List;

/**
 * Everything a router needs to split one host between the stable and canary pods of one Canary. Objects the router
 * creates for it are labelled {@code serin.dev/canary=<canary>}, and are recognised by that label alone.
 *
 * @param stableVersion value of {@code subsetLabel} on stable pods; null when unknown (only a stop may then run)
 * @param canaryVersion value of {@code subsetLabel} on canary pods; null when unknown (only a stop may then run)
 * @param testers       the tester routes to write beside the split; {@link Testers#NONE} removes them
 */
public record TrafficTarget(
        String namespace,
        String canary,
        String host,
        List<String> virtualServices,
        String destinationRule,
        String subsetLabel,
        String stableVersion,
        String canaryVersion,
        Testers testers) {

    public TrafficTarget {
        testers = testers == null ? Testers.NONE : testers;
    }

    /** A target without tester routes (so a write removes any there are). */
    public TrafficTarget(String namespace, String canary, String host, List<String> virtualServices,
            String destinationRule, String subsetLabel, String stableVersion, String canaryVersion) {
        this(namespace, canary, host, virtualServices, destinationRule, subsetLabel, stableVersion, canaryVersion,
                Testers.NONE);
    }

    public TrafficTarget withTesters(Testers desired) {
        return new TrafficTarget(namespace, canary, host, virtualServices, destinationRule, subsetLabel, stableVersion,
                canaryVersion, desired);
    }
}
