package dev.serin.traffic;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the routes and backends carry for one Canary now.
 *
 * @param backendsReady      both backends exist and can take traffic (Istio: both subsets exist, select the right pods
 *                           and carry the policy they should)
 * @param missingRouteSources listed route sources (VirtualServices, HTTPRoutes) that do not exist
 * @param withoutRoute       listed route sources that exist but have no route to the host
 * @param allSplit           every route to the host sends its share of the host to the stable and canary subsets only
 * @param minShare           the smallest canary share over all routes (a route not split counts as 0)
 * @param maxShare           the largest canary share over all routes
 * @param current            the stable:canary ratio (reduced) every route whose original is known carries, when they
 *                           all carry the same one
 * @param written            whether the routes are exactly as the router writes a split, other destinations included
 * @param unmatchedRoutes    routes that carry a split but fit none of the recorded originals, for people: the router
 *                           leaves them as they are (it only ever takes the canary out of them)
 * @param refusal            why the router would not write a split (its weights would not fit a route), if so
 * @param splitWritten       whether the routes carry a split as the router writes it, tester routes and sticky cookie
 *                           aside
 * @param testerRoutes       how many tester routes (Serin's own, sending only to the canary) the routes have now;
 *                           left out of every share above
 */
public record RouteState(
        boolean backendsReady,
        List<String> missingRouteSources,
        List<String> withoutRoute,
        boolean allSplit,
        Weight minShare,
        Weight maxShare,
        Split current,
        Predicate<Split> written,
        List<String> unmatchedRoutes,
        Function<Split, Optional<Refusal>> refusal,
        Predicate<Split> splitWritten,
        int testerRoutes) {

    /** True when writing the split would change no route: a route with other destinations scales its weights. */
    public boolean carries(Split split) {
        return allSplit && missingRouteSources.isEmpty() && current != null
                && split.reduced().equals(current) && written.test(split);
    }

    /** {@link #carries}, tester routes and the sticky cookie aside: a write would change only those. */
    public boolean carriesSplit(Split split) {
        return allSplit && missingRouteSources.isEmpty() && current != null
                && split.reduced().equals(current) && splitWritten.test(split);
    }

    /** Whether any route sends to the canary: a share of the split, or a tester route. */
    public boolean namesCanary() {
        return testerRoutes > 0 || maxShare.basisPoints() > 0 || (current != null && current.canary() > 0);
    }

    /** The split, when the router can write it; else why not. */
    public Outcome<Split> writable(Split split) {
        return refusal.apply(split).map(r -> Outcome.<Split>refused(r.reason(), r.message()))
                .orElse(Outcome.of(split));
    }

    /** The routes no recorded original fits, as a refusal to report; empty when every split route is known. */
    public Optional<Refusal> unmatched() {
        if (unmatchedRoutes.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(Refusal.UNMATCHED_ROUTE, "no recorded original fits "
                + String.join("; ", unmatchedRoutes) + ". Such a route carries a split of the stable and canary subsets "
                + "but was changed or copied, or its record was lost: Serin leaves it as it is, only ever taking the "
                + "canary out of it. Give it back its own destinations, or remove it"));
    }
}
