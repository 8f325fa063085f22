package dev.serin.rest;

import dev.serin.autopilot.Durations;
import dev.serin.rest.problem.ProblemException;
import java.time.Duration;
import java.util.Optional;

/** The {@code ?wait=} parameter, read by {@link Durations} as every duration is (5s, 1m30s, PT45S); at most 60 s. */
public final class WaitDuration {
    public static final Duration MAX = Duration.ofSeconds(60);

    private WaitDuration() {
    }

    /** Empty when the parameter is absent; a 400 problem when it is malformed or longer than 60 s. */
    public static Optional<Duration> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Duration d = Durations.parse(value).orElseThrow(() -> invalid("'" + value + "' is not a duration; use forms like "
                + Durations.EXAMPLES));
        if (d.compareTo(MAX) > 0) {
            throw invalid("wait may be at most 60s, not " + value);
        }
        return Optional.of(d);
    }

    private static ProblemException invalid(String detail) {
        return ProblemException.badRequest("invalid-wait", "Invalid wait", detail);
    }
}
