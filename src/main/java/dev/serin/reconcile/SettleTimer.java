package dev.serin.reconcile;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers when Serin last changed a Canary's backends or routes, so the next step waits until every Envoy
 * has the change, as this process saw it ({@link SettleTimers} also reads the times recorded on the objects).
 */
final class SettleTimer {
    private final Map<String, Instant> settledAt = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration settle;

    SettleTimer(Clock clock, Duration settle) {
        this.clock = clock;
        this.settle = settle;
    }

    void changed(String key) {
        settledAt.put(key, clock.instant().plus(settle));
    }

    /** How long until the last change has settled; zero when it has. */
    Duration remaining(String key) {
        Instant at = settledAt.get(key);
        if (at == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), at);
        if (left.isNegative() || left.isZero()) {
            settledAt.remove(key, at);
            return Duration.ZERO;
        }
        return left;
    }

    void forgetAll() {
        settledAt.clear();
    }

    void forget(String key) {
        settledAt.remove(key);
    }
}
