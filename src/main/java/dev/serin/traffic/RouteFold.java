package dev.serin.traffic;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Sums up what each listed route source (a VirtualService, an HTTPRoute) carries for one host into a
 * {@link RouteState}: each dialect reads its own routes, and both fold them the same way.
 */
public final class RouteFold {
    private final List<String> missing = new ArrayList<>();
    private final List<String> withoutRoute = new ArrayList<>();
    private final List<String> unmatched = new ArrayList<>();
    private final List<Split> splits = new ArrayList<>();
    private boolean allSplit = true;
    private int min = Weight.FULL;
    private int max = 0;
    private int testerRoutes;

    /** A listed route source that does not exist. */
    public void missing(String name) {
        missing.add(name);
    }

    /** Serin's tester routes found in a route source; left out of every share. */
    public void testerRoutes(int count) {
        testerRoutes += count;
    }

    /**
     * One route source: how many of its routes go to the host, how many of those send only to stable and canary,
     * the splits of those that match a recorded original, and those that fit none (with their names, for people).
     */
    public void source(String name, int routes, int splitRoutes, List<Split> matched, List<Split> unmatchedSplits,
            List<String> unmatchedNames) {
        if (routes == 0) {
            withoutRoute.add(name);
            return;
        }
        allSplit &= splitRoutes == routes;
        if (splitRoutes < routes) {
            min = 0;
        }
        unmatched.addAll(unmatchedNames);
        unmatchedSplits.forEach(this::share); // left alone, but they send traffic all the same
        for (Split s : matched) {
            share(s);
            splits.add(s.reduced()); // 72/8 beside a third destination is the same split as 9/1 alone
        }
    }

    private void share(Split s) {
        min = Math.min(min, s.share().basisPoints());
        max = Math.max(max, s.share().basisPoints());
    }

    /** The state, with the dialect's own checks of a split against the routes it read. */
    public RouteState state(boolean backendsReady, Predicate<Split> written, Function<Split, Optional<Refusal>> refusal,
            Predicate<Split> splitWritten) {
        boolean split = allSplit && !splits.isEmpty();
        Split current = split && splits.stream().distinct().count() == 1 ? splits.get(0) : null;
        int lowest = splits.isEmpty() && unmatched.isEmpty() ? 0 : min;
        return new RouteState(backendsReady, List.copyOf(missing), List.copyOf(withoutRoute), split, new Weight(lowest),
                new Weight(max), current, written, List.copyOf(unmatched), refusal, splitWritten, testerRoutes);
    }
}
