package dev.serin.traffic;

import java.util.List;

/**
 * What the mesh carries for one Canary now.
 *
 * @param subsetsReady       both subsets exist and select the right pods
 * @param missingRouteSources listed route sources (VirtualServices) that do not exist
 * @param withoutRoute       listed route sources that exist but have no route to the host
 * @param allSplit           every route to the host sends to the stable and canary subsets only
 * @param minShare           the smallest canary share over all routes (a route not split counts as 0)
 * @param maxShare           the largest canary share over all routes
 * @param current            the split every route carries, when they all carry the same one
 */
public record RouteState(
        boolean subsetsReady,
        List<String> missingRouteSources,
        List<String> withoutRoute,
        boolean allSplit,
        Weight minShare,
        Weight maxShare,
        Split current) {

    public boolean carries(Split split) {
        return allSplit && missingRouteSources.isEmpty() && split.equals(current);
    }

    public boolean namesCanary() {
        return maxShare.basisPoints() > 0 || (current != null && current.canary() > 0);
    }
}
