package dev.serin.autopilot.judge;

import java.util.Objects;

/**
 * How one metric of the canary is held against the stable version's.
 *
 * @param direction which change is bad: an increase (e.g. latency), a decrease (e.g. success rate), or either
 * @param allowedIncrease a High needs mean canary / mean stable at least this (1 or more; 1.1 tolerates 10 %)
 * @param allowedDecrease a Low needs that ratio at most this (1 or less; 0.9 tolerates 10 %)
 * @param critical High or Low fails the whole check, whatever the other metrics say
 * @param removeOutliers drop values beyond 3 interquartile ranges from a side's quartiles before judging
 */
public record Comparison(Direction direction, double allowedIncrease, double allowedDecrease, boolean critical,
        boolean removeOutliers) {
    public static final double DEFAULT_ALLOWED = 1.0;

    public Comparison {
        Objects.requireNonNull(direction, "direction");
    }

    public enum Direction {
        INCREASE, DECREASE, EITHER;

        boolean catchesIncrease() {
            return this != DECREASE;
        }

        boolean catchesDecrease() {
            return this != INCREASE;
        }
    }
}
