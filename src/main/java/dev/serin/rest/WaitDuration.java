package dev.serin.rest;

import dev.serin.rest.problem.ProblemException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code ?wait=} parameter: 500ms, 5s, 1m (or ISO-8601 like PT5S); at most 60 s. */
public final class WaitDuration {
    public static final Duration MAX = Duration.ofSeconds(60);
    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private WaitDuration() {
    }

    /** Empty when the parameter is absent; a 400 problem when it is malformed or longer than 60 s. */
    public static Optional<Duration> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        Duration d;
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        } else {
            try {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw invalid("'" + value + "' is not a duration; use forms like 500ms, 5s or 1m");
            }
        }
        if (d.isNegative()) {
            throw invalid("wait must not be negative");
        }
        if (d.compareTo(MAX) > 0) {
            throw invalid("wait may be at most 60s, not " + value);
        }
        return Optional.of(d);
    }

    private static ProblemException invalid(String detail) {
        return ProblemException.badRequest("invalid-wait", "Invalid wait", detail);
    }
}
