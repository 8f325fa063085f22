package dev.serin.strict.validation;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Go's {@code time.Parse} (src/time/format.go, {@code parse}) for the two layouts metav1 decodes JSON with:
 * {@code metav1.Time} uses {@code time.RFC3339} and {@code metav1.MicroTime} {@code RFC3339Micro}
 * (apimachinery pkg/apis/meta/v1/time.go and micro_time.go, {@code UnmarshalJSON}). What it accepts and its error
 * text follow Go's code step by step:
 * <ul>
 * <li>RFC3339 has no fraction in its layout, yet "the input may contain a fractional second field immediately after
 * the seconds field, even if the layout does not signify its presence" (Go's doc of Parse): any number of digits
 * after '.' or ','.</li>
 * <li>RFC3339Micro's {@code .000000} is stdFracSecond0, which "requires the exact number of digits as specified in
 * the layout": six, no more, no fewer (so {@code ...29Z}, {@code ...29.067Z} and {@code ...29.067575836Z} all fail).</li>
 * <li>the hour takes one or two digits, every other field exactly its width; the zone is {@code Z} or
 * {@code ±hh:mm} (hour up to 24, minute up to 60, as Go's range test allows); the day is checked against the month.</li>
 * </ul>
 * Go works on bytes; so does this class (the value's UTF-8 bytes, one char each), and quotes as Go's {@code quote}.
 */
public final class GoTime {
    public static final String RFC3339 = "2006-01-02T15:04:05Z07:00";
    public static final String RFC3339_MICRO = "2006-01-02T15:04:05.000000Z07:00";
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Go's {@code *time.ParseError}; {@link #getMessage()} is its {@code Error()}. */
    public static final class ParseError extends Exception {
        ParseError(String layout, String value, String layoutElem, String valueElem, String message) {
            super(message.isEmpty()
                    ? "parsing time " + quote(value) + " as " + quote(layout) + ": cannot parse " + quote(valueElem)
                            + " as " + quote(layoutElem)
                    : "parsing time " + quote(value) + message);
        }
    }

    private enum Std {
        LONG_YEAR("2006"), ZERO_MONTH("01"), ZERO_DAY("02"), HOUR("15"), ZERO_MINUTE("04"), ZERO_SECOND("05"),
        FRAC_SECOND_6(".000000"), ISO8601_COLON_TZ("Z07:00");

        final String layout;

        Std(String layout) {
            this.layout = layout;
        }
    }

    /** One step of Go's loop over nextStdChunk: the literal text before a field, and the field. */
    private record Chunk(String prefix, Std std) {
    }

    private static final List<Chunk> DATE_TIME = List.of(new Chunk("", Std.LONG_YEAR), new Chunk("-", Std.ZERO_MONTH),
            new Chunk("-", Std.ZERO_DAY), new Chunk("T", Std.HOUR), new Chunk(":", Std.ZERO_MINUTE),
            new Chunk(":", Std.ZERO_SECOND));
    private static final List<Chunk> RFC3339_CHUNKS = concat(DATE_TIME, List.of(new Chunk("", Std.ISO8601_COLON_TZ)));
    private static final List<Chunk> RFC3339_MICRO_CHUNKS = concat(DATE_TIME,
            List.of(new Chunk("", Std.FRAC_SECOND_6), new Chunk("", Std.ISO8601_COLON_TZ)));

    private GoTime() {
    }

    /** The instant {@code value} names in {@code layout} (RFC3339 or RFC3339_MICRO), or Go's error. */
    public static Instant parse(String layout, String value) throws ParseError {
        List<Chunk> chunks = switch (layout) {
            case RFC3339 -> RFC3339_CHUNKS;
            case RFC3339_MICRO -> RFC3339_MICRO_CHUNKS;
            default -> throw new IllegalArgumentException("layout not supported: " + layout);
        };
        String original = bytes(value);
        String v = original;
        int year = 0;
        int month = -1;
        int day = -1;
        int hour = 0;
        int min = 0;
        int sec = 0;
        long nsec = 0;
        int zoneOffset = 0;
        for (int i = 0; ; i++) {
            Chunk chunk = i < chunks.size() ? chunks.get(i) : null;
            String prefix = chunk == null ? "" : chunk.prefix();
            if (!v.startsWith(prefix)) {
                throw new ParseError(layout, original, prefix, v, "");
            }
            v = v.substring(prefix.length());
            if (chunk == null) {
                if (!v.isEmpty()) {
                    throw new ParseError(layout, original, "", v, ": extra text: " + quote(v));
                }
                break;
            }
            String hold = v;
            String rangeError = null;
            boolean bad = false;
            switch (chunk.std()) {
                case LONG_YEAR -> {
                    if (v.length() < 4 || !isDigit(v, 0)) {
                        bad = true;
                    } else {
                        Long y = atoi(v.substring(0, 4));
                        v = v.substring(4);
                        bad = y == null;
                        year = y == null ? 0 : y.intValue();
                    }
                }
                case ZERO_MONTH, ZERO_DAY, HOUR, ZERO_MINUTE, ZERO_SECOND -> {
                    boolean fixed = chunk.std() != Std.HOUR;
                    int n = getnum(v, fixed);
                    bad = n < 0;
                    int value2 = Math.max(n, 0);
                    if (!bad) {
                        v = v.substring(isDigit(v, 1) ? 2 : 1);
                    }
                    switch (chunk.std()) {
                        case ZERO_MONTH -> {
                            month = value2;
                            if (!bad && (month <= 0 || month > 12)) {
                                rangeError = "month";
                            }
                        }
                        case ZERO_DAY -> day = value2;
                        case HOUR -> {
                            hour = value2;
                            rangeError = hour >= 24 ? "hour" : null;
                        }
                        case ZERO_MINUTE -> {
                            min = value2;
                            rangeError = min >= 60 ? "minute" : null;
                        }
                        default -> {
                            sec = value2;
                            if (bad) {
                                break;
                            }
                            if (sec >= 60) {
                                rangeError = "second";
                                break;
                            }
                            // a fraction the layout does not name: '.' or ',' and every digit that follows
                            boolean layoutHasFraction = i + 1 < chunks.size() && chunks.get(i + 1).prefix().isEmpty()
                                    && chunks.get(i + 1).std() == Std.FRAC_SECOND_6;
                            if (v.length() >= 2 && commaOrPeriod(v.charAt(0)) && isDigit(v, 1) && !layoutHasFraction) {
                                int n2 = 2;
                                while (n2 < v.length() && isDigit(v, n2)) {
                                    n2++;
                                }
                                Nanos parsed = parseNanoseconds(v, n2);
                                nsec = parsed.nanos();
                                rangeError = parsed.rangeError();
                                bad = parsed.bad();
                                v = v.substring(n2);
                            }
                        }
                    }
                }
                case FRAC_SECOND_6 -> {
                    int ndigit = 1 + 6;
                    if (v.length() < ndigit) {
                        bad = true;
                    } else {
                        Nanos parsed = parseNanoseconds(v, ndigit);
                        nsec = parsed.nanos();
                        rangeError = parsed.rangeError();
                        bad = parsed.bad();
                        v = v.substring(ndigit);
                    }
                }
                case ISO8601_COLON_TZ -> {
                    if (!v.isEmpty() && v.charAt(0) == 'Z') {
                        v = v.substring(1);
                        zoneOffset = 0;
                    } else if (v.length() < 6 || v.charAt(3) != ':') {
                        bad = true;
                    } else {
                        char sign = v.charAt(0);
                        int hr = getnum(v.substring(1, 3), true);
                        int mm = hr < 0 ? -1 : getnum(v.substring(4, 6), true);
                        v = v.substring(6);
                        bad = hr < 0 || mm < 0;
                        hr = Math.max(hr, 0);
                        mm = Math.max(mm, 0);
                        if (hr > 24) {
                            rangeError = "time zone offset hour";
                        }
                        if (mm > 60) {
                            rangeError = "time zone offset minute";
                        }
                        zoneOffset = (hr * 60 + mm) * 60;
                        if (sign == '-') {
                            zoneOffset = -zoneOffset;
                        } else if (sign != '+') {
                            bad = true;
                        }
                    }
                }
                default -> throw new IllegalStateException();
            }
            if (rangeError != null) {
                throw new ParseError(layout, original, chunk.std().layout, v, ": " + rangeError + " out of range");
            }
            if (bad) {
                throw new ParseError(layout, original, chunk.std().layout, hold, "");
            }
        }
        if (month < 0) {
            month = 1;
        }
        if (day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            throw new ParseError(layout, original, "", "", ": day out of range");
        }
        long seconds = LocalDate.of(year, month, day).toEpochDay() * 86_400L + hour * 3_600L + min * 60L + sec
                - zoneOffset;
        return Instant.ofEpochSecond(seconds, nsec);
    }

    /** How the real server writes a metav1.Time back: UTC, whole seconds (Time.MarshalJSON). */
    public static String formatTime(Instant instant) {
        return SECONDS.format(instant);
    }

    /** How the real server writes a metav1.MicroTime back: UTC, exactly six fractional digits, truncated. */
    public static String formatMicroTime(Instant instant) {
        return MICROS.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    private record Nanos(long nanos, String rangeError, boolean bad) {
    }

    /** Go's parseNanoseconds: value[0] is '.' or ',', value[1:nbytes] the digits (at most nine count). */
    private static Nanos parseNanoseconds(String value, int nbytes) {
        if (!commaOrPeriod(value.charAt(0))) {
            return new Nanos(0, null, true);
        }
        if (nbytes > 10) {
            value = value.substring(0, 10);
            nbytes = 10;
        }
        Long ns = atoi(value.substring(1, nbytes));
        if (ns == null) {
            return new Nanos(0, null, true);
        }
        if (ns < 0) {
            return new Nanos(0, "fractional second", false);
        }
        long scaled = ns;
        for (int i = 0; i < 10 - nbytes; i++) {
            scaled *= 10;
        }
        return new Nanos(scaled, null, false);
    }

    /** Go's getnum: one or two digits (two when fixed); -1 for Go's errBad. */
    private static int getnum(String s, boolean fixed) {
        if (!isDigit(s, 0)) {
            return -1;
        }
        if (!isDigit(s, 1)) {
            return fixed ? -1 : s.charAt(0) - '0';
        }
        return (s.charAt(0) - '0') * 10 + (s.charAt(1) - '0');
    }

    /** Go's atoi: an optional sign, then only digits (none is 0); null for its error. */
    private static Long atoi(String s) {
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        long x = 0;
        for (char c : s.toCharArray()) {
            if (c < '0' || c > '9' || x > Long.MAX_VALUE / 10) {
                return null;
            }
            x = x * 10 + (c - '0');
        }
        return negative ? -x : x;
    }

    private static boolean commaOrPeriod(char c) {
        return c == '.' || c == ',';
    }

    private static boolean isDigit(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    /** The UTF-8 bytes of {@code s}, one char per byte, as Go's string indexing sees them. */
    private static String bytes(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** Go's time.quote over bytes: a byte outside printable ASCII as \xNN, '"' and '\' escaped. */
    static String quote(String byteString) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : byteString.toCharArray()) {
            if (c >= 0x80 || c < ' ') {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
