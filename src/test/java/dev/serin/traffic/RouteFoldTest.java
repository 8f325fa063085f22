package dev.serin.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteFoldTest {
    private static RouteState state(RouteFold fold) {
        return fold.state(true, s -> true, s -> Optional.empty(), s -> true);
    }

    @Test
    void routesCarryingTheSameSplitReduced() {
        RouteFold fold = new RouteFold();
        fold.source("a", 1, 1, List.of(new Split(97, 3)), List.of(), List.of());
        fold.source("b", 2, 2, List.of(new Split(194, 6), new Split(97, 3)), List.of(), List.of());
        RouteState state = state(fold);
        assertTrue(state.allSplit());
        assertEquals(new Split(97, 3), state.current());
        assertEquals(new Weight(300), state.minShare());
        assertEquals(new Weight(300), state.maxShare());
    }

    @Test
    void aRouteNotSplitCountsAsNoShareAndNoCurrentSplit() {
        RouteFold fold = new RouteFold();
        fold.source("a", 2, 1, List.of(new Split(3, 1)), List.of(), List.of());
        RouteState state = state(fold);
        assertFalse(state.allSplit());
        assertNull(state.current());
        assertEquals(new Weight(0), state.minShare());
        assertEquals(new Weight(2500), state.maxShare());
    }

    @Test
    void differentSplitsHaveNoCurrentAndUnmatchedOnesStillCount() {
        RouteFold fold = new RouteFold();
        fold.source("a", 2, 2, List.of(new Split(9, 1)), List.of(new Split(1, 1)), List.of("a: rule 2"));
        fold.source("b", 1, 1, List.of(new Split(3, 1)), List.of(), List.of());
        RouteState state = state(fold);
        assertNull(state.current());
        assertEquals(new Weight(1000), state.minShare());
        assertEquals(new Weight(5000), state.maxShare());
        assertEquals(List.of("a: rule 2"), state.unmatchedRoutes());
    }

    @Test
    void missingAndRoutelessSourcesAndTesterRoutesAreReportedApart() {
        RouteFold fold = new RouteFold();
        fold.missing("gone");
        fold.testerRoutes(2);
        fold.source("elsewhere", 0, 0, List.of(), List.of(), List.of());
        RouteState state = state(fold);
        assertEquals(List.of("gone"), state.missingRouteSources());
        assertEquals(List.of("elsewhere"), state.withoutRoute());
        assertEquals(2, state.testerRoutes());
        assertFalse(state.allSplit());
        assertEquals(new Weight(0), state.minShare());
        assertTrue(state.namesCanary());
    }
}
