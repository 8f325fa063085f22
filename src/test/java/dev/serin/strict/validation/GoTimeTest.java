package dev.serin.strict.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * GoTime against Go's own expectations: the RFC3339 cases of src/time/format_test.go (parseErrorTests,
 * TestParseFractionalSecondsLongerThanNineDigits, TestQuote) and apimachinery's micro_time_test.go, plus the values
 * Serin's clients send.
 */
class GoTimeTest {
    static String error(String layout, String value) {
        return assertThrows(GoTime.ParseError.class, () -> GoTime.parse(layout, value)).getMessage();
    }

    @Test
    void goesErrorsForRfc3339AreWordForWord() {
        assertEquals("parsing time \"2006-01-02T15:04:05Z07:00\": extra text: \"07:00\"",
                error(GoTime.RFC3339, "2006-01-02T15:04:05Z07:00"));
        assertEquals("parsing time \"2006-01-02T15:04_abc\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"_abc\" as \":\"",
                error(GoTime.RFC3339, "2006-01-02T15:04_abc"));
        assertEquals("parsing time \"2006-01-02T15:04:05_abc\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"_abc\""
                + " as \"Z07:00\"", error(GoTime.RFC3339, "2006-01-02T15:04:05_abc"));
        assertEquals("parsing time \"2006-01-02T15:04:05Z_abc\": extra text: \"_abc\"",
                error(GoTime.RFC3339, "2006-01-02T15:04:05Z_abc"));
        assertTrue(error(GoTime.RFC3339, "2010-02-04T21:00:67.012345678-08:00").contains("second out of range"));
        assertEquals("parsing time \"\\\"\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\\\"\" as \"2006\"",
                error(GoTime.RFC3339, "\""));
        assertEquals("parsing time \"\\xe2\\x98\\xba\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\\xe2\\x98\\xba\""
                + " as \"2006\"", error(GoTime.RFC3339, "☺"));
        assertEquals("parsing time \"2024-13-01T00:00:00Z\": month out of range", error(GoTime.RFC3339, "2024-13-01T00:00:00Z"));
        assertEquals("parsing time \"2023-02-29T00:00:00Z\": day out of range", error(GoTime.RFC3339, "2023-02-29T00:00:00Z"));
        assertEquals("parsing time \"\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"2006\"",
                error(GoTime.RFC3339, ""));
    }

    @Test
    void aTimeTakesAnyFractionAndAnyOffsetAndIsStoredInWholeUtcSeconds() throws Exception {
        assertEquals(Instant.parse("2021-09-29T16:04:33Z"), GoTime.parse(GoTime.RFC3339, "2021-09-29T16:04:33Z"));
        assertEquals(12_345_678, GoTime.parse(GoTime.RFC3339, "2021-09-29T16:04:33.012345678Z").getNano());
        assertEquals(12_345_678, GoTime.parse(GoTime.RFC3339, "2021-09-29T16:04:33.0123456789Z").getNano());
        assertEquals(123_456, GoTime.parse(GoTime.RFC3339, "2021-09-29T16:04:33.000123456789Z").getNano());
        assertEquals(500_000_000, GoTime.parse(GoTime.RFC3339, "2021-09-29T16:04:33,5Z").getNano());
        Instant withOffset = GoTime.parse(GoTime.RFC3339, "2021-09-29T18:04:33.067+02:00");
        assertEquals("2021-09-29T16:04:33Z", GoTime.formatTime(withOffset));
        // Go's stdHour takes one digit or two
        assertEquals(Instant.parse("2021-09-29T06:04:33Z"), GoTime.parse(GoTime.RFC3339, "2021-09-29T6:04:33Z"));
    }

    @Test
    void aMicroTimeNeedsExactlySixFractionalDigits() throws Exception {
        assertEquals(Instant.parse("1998-05-05T05:05:05Z"), GoTime.parse(GoTime.RFC3339_MICRO, "1998-05-05T05:05:05.000000Z"));
        assertEquals("parsing time \"hello\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"hello\" as \"2006\"",
                error(GoTime.RFC3339_MICRO, "hello"));
        // what Serin's REST Events sent on a real cluster (issue 19): java.time's ISO_INSTANT of a nanosecond clock
        assertEquals("parsing time \"2025-03-01T10:00:29.067575836Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot"
                + " parse \"836Z\" as \"Z07:00\"", error(GoTime.RFC3339_MICRO, "2025-03-01T10:00:29.067575836Z"));
        assertEquals("parsing time \"2025-03-01T10:00:29.067Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse"
                + " \".067Z\" as \".000000\"", error(GoTime.RFC3339_MICRO, "2025-03-01T10:00:29.067Z"));
        assertEquals("parsing time \"2025-03-01T10:00:29Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse"
                + " \"Z\" as \".000000\"", error(GoTime.RFC3339_MICRO, "2025-03-01T10:00:29Z"));
        Instant parsed = GoTime.parse(GoTime.RFC3339_MICRO, "2025-03-01T12:00:29.067575+02:00");
        assertEquals("2025-03-01T10:00:29.067575Z", GoTime.formatMicroTime(parsed));
        assertEquals("2025-03-01T10:00:29.000000Z", GoTime.formatMicroTime(Instant.parse("2025-03-01T10:00:29Z")));
        assertEquals("2025-03-01T10:00:29.067575Z", GoTime.formatMicroTime(Instant.parse("2025-03-01T10:00:29.067575836Z")));
    }
}
