package dev.serin.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.Phase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RejectionTest {
    static final Instant AT = Instant.parse("2026-01-01T10:00:00Z");
    static final Duration SLACK = Duration.ofMillis(200);
    final Rejection rejection = new Rejection(7, false, null, "refused", AT.plusSeconds(30));

    @Test
    void theSameSpecWaitsForTheLongestBackoff() {
        assertTrue(rejection.holds(7, false, null, AT, SLACK));
        assertTrue(rejection.holds(7, false, null, AT.plusSeconds(29), SLACK));
        assertFalse(rejection.holds(7, false, null, AT.plusSeconds(30), SLACK));
        // the retry's timer may fire a hair before the clock says it is due
        assertFalse(rejection.holds(7, false, null, AT.plusSeconds(30).minusMillis(50), SLACK));
    }

    @Test
    void aNewSpecOrADeletionIsTriedAtOnce() {
        assertFalse(rejection.holds(8, false, null, AT, SLACK));
        assertFalse(rejection.holds(7, true, null, AT, SLACK));
    }

    @Test
    void aPersonsRequestIsActedOnAtOnce() {
        assertFalse(rejection.holds(7, false, "abort", AT, SLACK));
        Rejection whileAborting = new Rejection(7, false, "abort", "refused", AT.plusSeconds(30));
        assertFalse(whileAborting.holds(7, false, null, AT, SLACK), "the request was carried out and cleared");
    }

    @Test
    void aRepeatIsTheSameGenerationAndMessage() {
        assertTrue(rejection.repeats(7, "refused"));
        assertFalse(rejection.repeats(8, "refused"));
        assertFalse(rejection.repeats(7, "refused differently"));
    }

    @Test
    void aRefusalFailsTheCanaryButKeepsAnAbortOrAPromotion() {
        for (Phase phase : new Phase[] {null, Phase.Initializing, Phase.Progressing, Phase.Paused, Phase.Terminating}) {
            assertEquals(Phase.Failed, Rejection.phase(phase), String.valueOf(phase));
        }
        assertEquals(Phase.Aborted, Rejection.phase(Phase.Aborted));
        assertEquals(Phase.Promoting, Rejection.phase(Phase.Promoting));
    }
}
