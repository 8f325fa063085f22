package dev.serin.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.reconcile.ConflictBackoff.Part;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConflictBackoffTest {
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    final ConflictBackoff state = new ConflictBackoff(3, Duration.ofSeconds(20), Duration.ofSeconds(3),
            Duration.ofSeconds(12));

    /** Serin writes at {@code s}, sees its write, and it is reverted: returns the verdict of the next write. */
    ConflictBackoff.Verdict revertAt(long s) {
        state.carries(Part.ROUTES, "split", t0.plusSeconds(s));
        return state.beforeWrite(Part.ROUTES, "split", t0.plusSeconds(s + 1));
    }

    @Test
    void aFewRevertsAreUndoneAtOnceThenABackOffDoublesUpToItsMaximum() {
        assertFalse(state.beforeWrite(Part.ROUTES, "split", t0).holding()); // first write: no revert
        state.wrote(Part.ROUTES, "split", t0);
        assertFalse(revertAt(1).holding());
        state.wrote(Part.ROUTES, "split", t0.plusSeconds(2));
        assertFalse(revertAt(3).holding());
        state.wrote(Part.ROUTES, "split", t0.plusSeconds(4));
        ConflictBackoff.Verdict third = revertAt(5);
        assertTrue(third.backoffStarted());
        assertEquals(Duration.ofSeconds(3), third.hold());
        // passes during the back-off hold, and count nothing new
        assertEquals(Duration.ofSeconds(1), state.beforeWrite(Part.ROUTES, "split", t0.plusSeconds(8)).hold());
        assertFalse(state.beforeWrite(Part.ROUTES, "split", t0.plusSeconds(9)).holding());
        state.wrote(Part.ROUTES, "split", t0.plusSeconds(9));
        ConflictBackoff.Verdict again = revertAt(10);
        assertTrue(again.backoffStarted());
        assertEquals(Duration.ofSeconds(6), again.hold());
        state.wrote(Part.ROUTES, "split", t0.plusSeconds(17));
        assertEquals(Duration.ofSeconds(12), revertAt(18).hold());
        state.wrote(Part.ROUTES, "split", t0.plusSeconds(31));
        assertEquals(Duration.ofSeconds(12), revertAt(32).hold());
    }

    @Test
    void theFightEndsWhenSerinsWriteStandsForABackOff() {
        aFewRevertsAreUndoneAtOnceThenABackOffDoublesUpToItsMaximum(); // back-off 12 s from 33 s
        state.carries(Part.BACKENDS, "backends", t0.plusSeconds(45)); // other parts carried: no end yet
        assertTrue(state.fighting());
        assertFalse(state.beforeWrite(Part.ROUTES, "split", t0.plusSeconds(45)).holding());
        state.wrote(Part.ROUTES, "split", t0.plusSeconds(45));
        state.carries(Part.ROUTES, "split", t0.plusSeconds(46));
        assertTrue(state.fighting());
        assertEquals(Duration.ofSeconds(11), state.recheck(t0.plusSeconds(46)));
        state.carries(Part.ROUTES, "split", t0.plusSeconds(57));
        assertFalse(state.fighting());
    }

    @Test
    void aNewWeightIsNoRevert() {
        state.wrote(Part.ROUTES, "3%", t0);
        state.carries(Part.ROUTES, "3%", t0.plusSeconds(1));
        assertFalse(state.beforeWrite(Part.ROUTES, "10%", t0.plusSeconds(2)).revert());
    }
}
