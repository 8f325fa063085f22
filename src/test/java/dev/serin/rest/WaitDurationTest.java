package dev.serin.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.serin.rest.problem.ProblemException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WaitDurationTest {
    @Test
    void acceptsShortForms() {
        assertEquals(Optional.empty(), WaitDuration.parse(null));
        assertEquals(Optional.of(Duration.ofMillis(500)), WaitDuration.parse("500ms"));
        assertEquals(Optional.of(Duration.ofSeconds(5)), WaitDuration.parse("5s"));
        assertEquals(Optional.of(Duration.ofMinutes(1)), WaitDuration.parse("1m"));
        assertEquals(Optional.of(Duration.ofSeconds(60)), WaitDuration.parse("60s"));
        assertEquals(Optional.of(Duration.ofSeconds(30)), WaitDuration.parse("PT30S"));
        assertEquals(Optional.of(Duration.ZERO), WaitDuration.parse("0s"));
        // the forms every other duration takes (issue 19: ?wait=1m30s was "not a duration")
        assertEquals(Optional.of(Duration.ofSeconds(45)), WaitDuration.parse("0m45s"));
        assertEquals(Optional.of(Duration.ofMillis(1500)), WaitDuration.parse("1.5s"));
        assertEquals(Optional.of(Duration.ofSeconds(50)), WaitDuration.parse("PT0M50S"));
    }

    @Test
    void aDurationAboveTheMaximumIsToldSoNotCalledMalformed() {
        ProblemException e = assertThrows(ProblemException.class, () -> WaitDuration.parse("1m30s"));
        assertEquals("wait may be at most 60s, not 1m30s", e.problem().detail());
    }

    @Test
    void refusesLongOrMalformed() {
        for (String bad : new String[] { "61s", "60001ms", "2m", "1h", "", "5", "s", "-1s", "PT-1S", "five seconds" }) {
            ProblemException e = assertThrows(ProblemException.class, () -> WaitDuration.parse(bad), bad);
            assertEquals(400, e.problem().status());
        }
    }
}
