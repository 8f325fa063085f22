package dev.serin.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.ObservedShare;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShareMeasurementTest {
    static final Instant AT = Instant.parse("2026-11-30T12:00:00.250Z");

    @Test
    void theShareIsTheCanarysPercentOfAllRequestsWithTwoDecimals() {
        ObservedShare o = ShareMeasurement.of(200, 800, 100, "1m", AT);
        assertEquals(20.0, o.share);
        assertEquals(1000L, o.requests);
        assertEquals("1m", o.window);
        assertEquals("2026-11-30T12:00:00Z", o.time);
        assertNull(o.message);
        assertEquals(33.33, ShareMeasurement.of(100, 200, 100, "1m", AT).share);
        assertEquals(0.0, ShareMeasurement.of(0, 150.4, 100, "1m", AT).share);
    }

    @Test
    void belowTheMinimumThereIsNoShareButAMessage() {
        ObservedShare o = ShareMeasurement.of(20, 79, 100, "30s", AT);
        assertNull(o.share);
        assertEquals(99L, o.requests);
        assertEquals("not enough requests: fewer than 100 in the last 30s", o.message);
        assertNull(ShareMeasurement.of(0, 0, 0, "1m", AT).share, "0 of 0 is no share");
    }

    @Test
    void onlyAMoveOfATenthOfAPointOrANewMessageIsWorthAWrite() {
        ObservedShare current = ShareMeasurement.of(200, 800, 100, "1m", AT);
        assertFalse(ShareMeasurement.worthWriting(current, ShareMeasurement.of(2009, 7991, 100, "1m", AT.plusSeconds(15))),
                "20.09 after 20.00: more requests and a new time are not news");
        assertTrue(ShareMeasurement.worthWriting(current, ShareMeasurement.of(201, 799, 100, "1m", AT)), "20.1");
        assertTrue(ShareMeasurement.worthWriting(current, ShareMeasurement.of(199, 801, 100, "1m", AT)), "19.9");
        assertTrue(ShareMeasurement.worthWriting(current, ShareMeasurement.of(1, 2, 100, "1m", AT)), "share gone");
        ObservedShare few = ShareMeasurement.of(1, 2, 100, "1m", AT);
        assertFalse(ShareMeasurement.worthWriting(few, ShareMeasurement.of(3, 5, 100, "1m", AT.plusSeconds(15))));
        assertTrue(ShareMeasurement.worthWriting(few, ShareMeasurement.failed("cannot reach Prometheus", "1m", AT)));
        assertTrue(ShareMeasurement.worthWriting(null, few));
        assertFalse(ShareMeasurement.worthWriting(few, null));
    }

    @Test
    void theStretchRunsFromTheSecondAfterTheWeightChangedToAtMostTheWindow() {
        Duration minute = Duration.ofMinutes(1);
        Duration second = Duration.ofSeconds(1);
        WeightChange at12 = new WeightChange(25.0, "2026-11-30T12:00:00Z"); // recorded to the second: 12:00:00.xxx
        assertEquals(minute, ShareMeasurement.stretch(WeightChange.UNKNOWN, AT, minute, second), "no change known");
        assertEquals(Duration.ZERO, ShareMeasurement.stretch(at12, AT, minute, second), "0.25 s after: nothing yet");
        assertEquals(Duration.ZERO, ShareMeasurement.stretch(at12, AT.plusMillis(750), minute, second));
        assertEquals(Duration.ofSeconds(19), ShareMeasurement.stretch(at12, AT.plusSeconds(20), minute, second));
        assertEquals(Duration.ofSeconds(15), ShareMeasurement.stretch(at12, AT.plusSeconds(20), minute, Duration.ofSeconds(15)));
        assertEquals(minute, ShareMeasurement.stretch(at12, AT.plusSeconds(61), minute, second));
        assertEquals(minute, ShareMeasurement.stretch(at12, AT.plusSeconds(3600), minute, second));
        assertEquals(Duration.ZERO, ShareMeasurement.stretch(at12, AT.minusSeconds(5), minute, second), "clock behind");
    }

    @Test
    void untilTheStretchHoldsTheMinimumItSaysSettlingWithTheWeightAndWhen() {
        WeightChange change = new WeightChange(12.5, "2026-11-30T12:00:00Z");
        assertEquals("settling since the weight changed to 12.5 % at 2026-11-30T12:00:00Z: fewer than 100 requests since",
                ShareMeasurement.settling(change, 100));
        assertEquals("settling since the weight changed to 25 % at 2026-11-30T12:00:00Z: fewer than 100 requests since",
                ShareMeasurement.settling(new WeightChange(25.0, change.at()), 100));
        ObservedShare o = ShareMeasurement.settling(change, 100, AT);
        assertNull(o.share);
        assertNull(o.requests, "nothing measured yet");
        assertEquals("2026-11-30T12:00:00Z", o.time);
    }

    @Test
    void aLongerWindowAloneIsNoNews() {
        ObservedShare current = ShareMeasurement.of(200, 800, 100, "20s", AT);
        assertFalse(ShareMeasurement.worthWriting(current, ShareMeasurement.of(400, 1600, 100, "40s", AT.plusSeconds(20))),
                "after a weight change the window grows with every measurement");
    }
}
