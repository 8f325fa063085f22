package dev.serin.traffic;

import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;

/**
 * Everything a router needs to split one host between the stable and canary pods of one Canary.
 *
 * @param stableVersion value of {@code subsetLabel} on stable pods; null when unknown (only a stop may then run)
 * @param owner         reference set on objects the router creates, so they go when the Canary goes
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
        OwnerReference owner) {
}
