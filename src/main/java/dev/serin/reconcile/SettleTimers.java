package dev.serin.reconcile;

import dev.serin.config.SerinConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;

/** The two waits of make-before-break: after a subset change, and after a route change. */
@ApplicationScoped
public class SettleTimers {
    static final String SETTLE_NAME = "serin.traffic.settle";
    private final SettleTimer timer;

    public SettleTimers(Clock clock, SerinConfig config) {
        this.timer = new SettleTimer(clock, config.traffic().settle());
    }

    void subsetsChanged(String key) {
        timer.changed(key + "#subsets");
    }

    Duration subsetsRemaining(String key) {
        return timer.remaining(key + "#subsets");
    }

    void routesChanged(String key) {
        timer.changed(key + "#routes");
    }

    Duration routesRemaining(String key) {
        return timer.remaining(key + "#routes");
    }

    void forget(String key) {
        timer.forget(key + "#subsets");
        timer.forget(key + "#routes");
    }
}
