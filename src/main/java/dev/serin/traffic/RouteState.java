package dev.serin.traffic;

import java.util.List;
import java.util.function.Predicate;

/**
 * What the mesh carries for one Canary now.
 *
 * @param subsetsReady       both subsets exist, select the right pods and carry the policy they should
 * @param missingRouteSources listed route sources (VirtualServices) that do not exist
 * @param withoutRoute       listed route sources that exist but have no route to the host
 * @param allSplit           every route to the host sends its share of the host to the stable and canary subsets only
 * @param minShare           the smallest canary share over all routes (a route not split counts as 0)
 * @param maxShare           the largest canary share over all routes
 * @param current            the stable:canary ratio (reduced) every route carries, when they all carry the same one
 * @param written            whether the routes are exactly as the router writes a split, other destinations included
 */
public record RouteState(
        boolean subsetsReady,
        List<String> missingRouteSources,
        List<String> withoutRoute,
        boolean allSplit,
        Weight minShare,
        Weight maxShare,
        Split current,
        Predicate<Split> written) {

    /** True when writing the split would change no route: a route with other destinations scales its weights. */
    public boolean carries(Split split) {
        return allSplit && missingRouteSources.isEmpty() && current != null
                && split.reduced().equals(current) && written.test(split);
    }

    public boolean namesCanary() {
        return maxShare.basisPoints() > 0 || (current != null && current.canary() > 0);
    }
}
