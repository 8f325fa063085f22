package dev.serin.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One Canary's record of reverts of what Serin wrote (routes or backends) and the back-off of a fight with another
 * writer. Plain state, fed the time: it decides, the caller writes. Not thread-safe: one Canary is reconciled by one
 * thread at a time.
 */
final class ConflictBackoff {
    enum Part { ROUTES, BACKENDS }

    /** What the caller must do now: write, or hold; {@code backoffStarted} when an Event is due. */
    record Verdict(boolean revert, boolean backoffStarted, Duration hold) {
        boolean holding() {
            return !hold.isZero();
        }
    }

    private final int threshold;
    private final Duration window;
    private final Duration initial;
    private final Duration max;
    private final Map<Part, Object> written = new EnumMap<>(Part.class);
    private final Map<Part, Object> seen = new EnumMap<>(Part.class);
    private final Deque<Instant> reverts = new ArrayDeque<>();
    private Duration backoff; // null: no fight
    private Instant until;
    private Instant lastWrite;
    private boolean wroteAtBackoffEnd;

    ConflictBackoff(int threshold, Duration window, Duration initial, Duration max) {
        this.threshold = threshold;
        this.window = window;
        this.initial = initial;
        this.max = max;
    }

    /**
     * Serin is about to write {@code desired} into {@code part} because the cluster lacks it. It is a revert when
     * Serin's own write of the same thing had been seen (or, during a fight, had been sent) and is gone now.
     */
    Verdict beforeWrite(Part part, Object desired, Instant now) {
        boolean revert = Objects.equals(seen.remove(part), desired)
                || (backoff != null && Objects.equals(written.get(part), desired));
        written.remove(part);
        boolean started = false;
        if (revert) {
            reverts.addLast(now);
            while (!reverts.isEmpty() && reverts.peekFirst().isBefore(now.minus(window))) {
                reverts.removeFirst();
            }
            if (backoff != null) {
                backoff = backoff.multipliedBy(2).compareTo(max) > 0 ? max : backoff.multipliedBy(2);
                until = now.plus(backoff);
                started = true;
                wroteAtBackoffEnd = false;
            } else if (reverts.size() >= threshold) {
                backoff = initial;
                until = now.plus(backoff);
                started = true;
                wroteAtBackoffEnd = false;
            }
        }
        Duration hold = backoff != null && now.isBefore(until) ? Duration.between(now, until) : Duration.ZERO;
        return new Verdict(revert, started, hold);
    }

    void wrote(Part part, Object desired, Instant now) {
        written.put(part, desired);
        seen.remove(part);
        lastWrite = now;
        wroteAtBackoffEnd = backoff != null;
    }

    /** The cluster carries {@code desired} in {@code part}; a fight ends once Serin's write has stood for a back-off. */
    void carries(Part part, Object desired, Instant now) {
        if (Objects.equals(written.get(part), desired)) {
            written.remove(part);
            seen.put(part, desired);
        }
        if (backoff != null && wroteAtBackoffEnd && written.isEmpty() && !now.isBefore(lastWrite.plus(backoff))) {
            backoff = null;
            until = null;
            reverts.clear();
        }
    }

    boolean fighting() {
        return backoff != null;
    }

    Duration backoff() {
        return backoff;
    }

    /** When the quiet check of a fight is due, if one is on. */
    Duration recheck(Instant now) {
        if (backoff == null) {
            return null;
        }
        Instant due = now.isBefore(until) || !wroteAtBackoffEnd ? until : lastWrite.plus(backoff);
        return due.isAfter(now) ? Duration.between(now, due) : Duration.ofMillis(1);
    }

    int recentReverts() {
        return reverts.size();
    }

    boolean idle() {
        return backoff == null && reverts.isEmpty() && written.isEmpty() && seen.isEmpty();
    }
}
