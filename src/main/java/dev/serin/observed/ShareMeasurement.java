package dev.serin.observed;

import dev.serin.api.v1alpha1.ObservedShare;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Pure rules for {@code status.observed}: the share from two request counts, and whether a new measurement is worth a
 * status write (the share moved by at least 0.1 point, or the message changed).
 */
public final class ShareMeasurement {
    /** Moves smaller than this (in hundredths of a point) are not written. */
    private static final long MIN_MOVE_HUNDREDTHS = 10;

    private ShareMeasurement() {
    }

    /** The message when there are fewer requests than the minimum; fixed per setting so it causes no writes. */
    public static String notEnough(long minRequests, String window) {
        return "not enough requests: fewer than " + minRequests + " in the last " + window;
    }

    /**
     * The canary's share of {@code canary + stable} requests, rounded to 2 decimals; no share (and a message) below
     * {@code minRequests}.
     */
    public static ObservedShare of(double canary, double stable, long minRequests, String window, Instant at) {
        ObservedShare o = new ObservedShare();
        double total = Math.max(0, canary) + Math.max(0, stable);
        o.requests = Math.round(total);
        o.window = window;
        o.time = at.truncatedTo(ChronoUnit.SECONDS).toString();
        if (total < minRequests || total <= 0) {
            o.message = notEnough(minRequests, window);
            return o;
        }
        o.share = BigDecimal.valueOf(100 * Math.max(0, canary) / total).setScale(2, RoundingMode.HALF_UP).doubleValue();
        return o;
    }

    /** No share because the measurement itself failed (Prometheus unreachable, refused, an error answer). */
    public static ObservedShare failed(String message, String window, Instant at) {
        ObservedShare o = new ObservedShare();
        o.window = window;
        o.time = at.truncatedTo(ChronoUnit.SECONDS).toString();
        o.message = message;
        return o;
    }

    /** True when {@code latest} should replace {@code current} in status. */
    public static boolean worthWriting(ObservedShare current, ObservedShare latest) {
        if (latest == null) {
            return false;
        }
        if (current == null) {
            return true;
        }
        if (!Objects.equals(current.message, latest.message) || !Objects.equals(current.window, latest.window)) {
            return true;
        }
        if (current.share == null || latest.share == null) {
            return current.share != latest.share;
        }
        return Math.abs(Math.round(current.share * 100) - Math.round(latest.share * 100)) >= MIN_MOVE_HUNDREDTHS;
    }
}
