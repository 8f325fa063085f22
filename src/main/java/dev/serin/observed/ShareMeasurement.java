package dev.serin.observed;

import dev.serin.api.v1alpha1.ObservedShare;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Pure rules for {@code status.observed} and the dashboard's observed line: the stretch of time a share is measured
 * over, the share from two request counts, and whether a new measurement is worth a status write (the share moved by
 * at least 0.1 point, or the message changed).
 */
public final class ShareMeasurement {
    /** Moves smaller than this (in hundredths of a point) are not written. */
    private static final long MIN_MOVE_HUNDREDTHS = 10;
    private static final Duration SECOND = Duration.ofSeconds(1);

    private ShareMeasurement() {
    }

    /**
     * How far back a share measured at {@code at} looks: since the weight last changed, at most {@code window}, in
     * whole {@code quantum}s. The change is recorded to the second, so the stretch starts at the next whole second:
     * never before the change. Zero: too soon after the change to measure anything.
     */
    public static Duration stretch(WeightChange change, Instant at, Duration window, Duration quantum) {
        Instant changed = change == null ? null : change.instant();
        if (changed == null) {
            return window;
        }
        Duration age = Duration.between(changed.plus(SECOND), at);
        if (age.compareTo(window) >= 0) {
            return window;
        }
        if (age.isNegative() || age.isZero()) {
            return Duration.ZERO;
        }
        return quantum.multipliedBy(age.toMillis() / quantum.toMillis());
    }

    /** The message when there are fewer requests than the minimum; fixed per setting so it causes no writes. */
    public static String notEnough(long minRequests, String window) {
        return "not enough requests: fewer than " + minRequests + " in the last " + window;
    }

    /** The message until the stretch since the weight changed holds the minimum; fixed per change. */
    public static String settling(WeightChange change, long minRequests) {
        String to = change.weight() == null ? "" : " to " + percent(change.weight());
        return "settling since the weight changed" + to + " at " + change.at() + ": fewer than " + minRequests
                + " requests since";
    }

    /** No share yet, the weight having changed too recently to measure anything. */
    public static ObservedShare settling(WeightChange change, long minRequests, Instant at) {
        ObservedShare o = new ObservedShare();
        o.time = at.truncatedTo(ChronoUnit.SECONDS).toString();
        o.message = settling(change, minRequests);
        return o;
    }

    /**
     * The canary's share of {@code canary + stable} requests, rounded to 2 decimals; no share (and
     * {@link #notEnough}) below {@code minRequests}.
     */
    public static ObservedShare of(double canary, double stable, long minRequests, String window, Instant at) {
        return of(canary, stable, minRequests, window, at, notEnough(minRequests, window));
    }

    /** As {@link #of(double, double, long, String, Instant)}, with {@code tooFew} as the message below the minimum. */
    public static ObservedShare of(double canary, double stable, long minRequests, String window, Instant at,
            String tooFew) {
        ObservedShare o = new ObservedShare();
        double total = Math.max(0, canary) + Math.max(0, stable);
        o.requests = Math.round(total);
        o.window = window;
        o.time = at.truncatedTo(ChronoUnit.SECONDS).toString();
        if (total < minRequests || total <= 0) {
            o.message = tooFew;
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

    /** What status.observed.message says beside a share while tester routes exist. */
    public static final String INCLUDES_TESTERS = "includes requests that matched spec.testers: Istio's standard"
            + " metrics do not tell the tester routes apart";

    /**
     * The share, saying it includes testers while the Canary has tester routes (spec.testers listed and canary pods
     * ready): requests the tester routes send go to the canary workload and Istio counts them with the rest.
     */
    public static ObservedShare withTesters(ObservedShare share, dev.serin.api.v1alpha1.Canary canary) {
        boolean testers = canary.getSpec() != null && canary.getSpec().testers != null
                && !canary.getSpec().testers.isEmpty() && canary.getStatus() != null
                && canary.getStatus().readyReplicas != null && canary.getStatus().readyReplicas > 0;
        if (share == null || share.share == null || !testers || share.message != null) {
            return share;
        }
        ObservedShare noted = new ObservedShare();
        noted.share = share.share;
        noted.requests = share.requests;
        noted.window = share.window;
        noted.time = share.time;
        noted.message = INCLUDES_TESTERS;
        return noted;
    }

    /**
     * True when {@code latest} should replace {@code current} in status. The window alone is no news: after a weight
     * change it grows with every measurement until it reaches serin.observed.window.
     */
    public static boolean worthWriting(ObservedShare current, ObservedShare latest) {
        if (latest == null) {
            return false;
        }
        if (current == null) {
            return true;
        }
        if (!Objects.equals(current.message, latest.message)) {
            return true;
        }
        if (current.share == null || latest.share == null) {
            return current.share != latest.share;
        }
        return Math.abs(Math.round(current.share * 100) - Math.round(latest.share * 100)) >= MIN_MOVE_HUNDREDTHS;
    }

    /** A weight as status messages write it: 25, 12.5. */
    static String percent(double weight) {
        return BigDecimal.valueOf(weight).stripTrailingZeros().toPlainString() + " %";
    }
}
