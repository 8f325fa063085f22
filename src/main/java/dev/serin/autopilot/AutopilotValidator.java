package dev.serin.autopilot;

import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.reconcile.Invalid;
import java.time.Duration;
import java.util.Optional;

/**
 * Checks a Canary's {@code spec.autopilot} as stored: the CRD refuses the same at the door, but objects stored under an
 * older CRD (or by a client that skipped validation) must still get a clear reason. Pure.
 */
public final class AutopilotValidator {
    public static final String REASON = "InvalidAutopilot";

    private AutopilotValidator() {
    }

    public static Optional<Invalid> check(AutopilotSpec autopilot) {
        if (autopilot == null) {
            return Optional.empty();
        }
        if (StepPlan.of(autopilot).isEmpty()) {
            return invalid("spec.autopilot needs ascending steps of valid weights, or stepWeight > 0 and maxWeight,"
                    + " each 0..100 with at most 2 decimals");
        }
        Optional<Duration> interval = Optional.of(Autopilot.DEFAULT_INTERVAL);
        if (autopilot.interval != null) {
            interval = Durations.parse(autopilot.interval);
            if (interval.isEmpty() || interval.get().isZero() || interval.get().isNegative()) {
                return invalid("spec.autopilot.interval " + autopilot.interval
                        + " must be a duration above zero, like 30s, 5m, 1h or PT5M");
            }
        }
        Optional<Duration> deadline = Optional.of(Autopilot.DEFAULT_DEADLINE);
        if (autopilot.progressDeadline != null) {
            deadline = Durations.parse(autopilot.progressDeadline);
            if (deadline.isEmpty() || deadline.get().isZero() || deadline.get().isNegative()) {
                return invalid("spec.autopilot.progressDeadline " + autopilot.progressDeadline
                        + " must be a duration above zero, like 10m, 1h or PT10M");
            }
        }
        if (deadline.get().compareTo(interval.get()) < 0) {
            return invalid("spec.autopilot.progressDeadline " + text(autopilot.progressDeadline, "10m (default)")
                    + " must be at least spec.autopilot.interval " + text(autopilot.interval, "5m (default)")
                    + ": a step could never be judged before the deadline");
        }
        Integer threshold = autopilot.analysis == null ? null : autopilot.analysis.failureThreshold;
        if (threshold != null && threshold < 1) {
            return invalid("spec.autopilot.analysis.failureThreshold " + threshold + " must be 1 or more");
        }
        return dev.serin.autopilot.analysis.CompareRules.problem(autopilot.analysis)
                .flatMap(AutopilotValidator::invalid);
    }

    private static String text(String value, String absent) {
        return value == null ? absent : value;
    }

    private static Optional<Invalid> invalid(String message) {
        return Optional.of(new Invalid(REASON, message));
    }
}
