package dev.serin.reconcile;

import dev.serin.config.SerinConfig;
import dev.serin.traffic.TrafficRouter;
import dev.serin.traffic.TrafficRouters;
import dev.serin.traffic.TrafficTarget;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two waits of make-before-break: after a backend change, and after a route change. The time of each change is
 * read back from the objects it was written to ({@link TrafficRouter#backendsChangedAt}), so a restarted Serin or a
 * new leader waits as long as the one that wrote it would have; the in-memory timer covers a cache that has not
 * seen Serin's own write yet.
 */
@ApplicationScoped
public class SettleTimers implements CanaryMemory {
    static final String SETTLE_NAME = "serin.traffic.settle";
    private final SettleTimer timer;
    private final TrafficRouters routers;
    private final Clock clock;
    private final Duration settle;
    private final Duration quiet;
    private final Map<String, Instant> heldSince = new ConcurrentHashMap<>();

    public SettleTimers(Clock clock, SerinConfig config, TrafficRouters routers) {
        this.timer = new SettleTimer(clock, config.traffic().settle());
        this.routers = routers;
        this.clock = clock;
        this.settle = config.traffic().settle();
        this.quiet = config.traffic().quietSettle();
    }

    /** serin.traffic.quiet-settle: how long a status that would be replaced a moment later is held back. */
    Duration quiet() {
        return quiet;
    }

    void backendsChanged(String key) {
        timer.changed(key + "#backends");
    }

    Duration backendsRemaining(String key, TrafficTarget traffic) {
        return longer(timer.remaining(key + "#backends"), recorded(routers.of(traffic).backendsChangedAt(traffic)));
    }

    void routesChanged(String key) {
        timer.changed(key + "#routes");
    }

    Duration routesRemaining(String key, TrafficTarget traffic) {
        return longer(timer.remaining(key + "#routes"), recorded(routers.of(traffic).routesChangedAt(traffic)));
    }

    /**
     * What is left of {@link #quiet()} since the first pass that held a split for a backend that cannot take traffic
     * yet ({@link TrafficRouter#canTake}); zero once it is over.
     */
    Duration heldRemaining(String key) {
        Instant since = heldSince.computeIfAbsent(key, k -> clock.instant());
        Duration left = Duration.between(clock.instant(), since.plus(quiet));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The split is no longer held for a backend. */
    void released(String key) {
        heldSince.remove(key);
    }

    @Override
    public void forgetAll() {
        timer.forgetAll();
        heldSince.clear();
    }

    @Override
    public void forget(String key) {
        timer.forget(key + "#backends");
        timer.forget(key + "#routes");
        heldSince.remove(key);
    }

    /** What is left of a settle that began at a recorded time; never more than one settle (another replica's clock may run ahead). */
    private Duration recorded(Optional<Instant> changedAt) {
        if (changedAt.isEmpty()) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), changedAt.get().plus(settle));
        if (left.isNegative()) {
            return Duration.ZERO;
        }
        return left.compareTo(settle) > 0 ? settle : left;
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
