package dev.serin.autopilot;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.ConditionTypes;
import dev.serin.autopilot.analysis.Verdict;
import dev.serin.reconcile.Conditions;
import dev.serin.traffic.Weight;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the autopilot does next for one Canary, from its spec and status alone (so a restart neither repeats
 * nor skips a step). Pure: time comes in as an argument.
 */
public final class StepDecider {
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;

    private StepDecider() {
    }

    public sealed interface Decision {
    }

    /** Nothing due yet. */
    public record Wait() implements Decision {
    }

    /**
     * Take over the step at or below the current weight: first sight, or a person set the weight. Its interval starts
     * once the routes carry that weight ({@link StartClock}).
     */
    public record Rebase(int stepIndex, boolean byHand) implements Decision {
    }

    /** The routes carry the step's weight now: its interval, and the window its check looks at, start here. */
    public record StartClock(Instant nextStepAt) implements Decision {
    }

    /** The routes no longer carry the step's weight (pods lost, say): its interval starts again when they do. */
    public record StopClock() implements Decision {
    }

    /** The interval has passed at this step: run the analysis. */
    public record Check() implements Decision {
    }

    public record Abort(String reason, String message) implements Decision {
    }

    /** After a passing check: the next step, whose interval starts when the routes carry it. */
    public record Advance(int stepIndex, Weight weight) implements Decision {
    }

    /** Stay at this step and look again later. */
    public record Hold(int failedChecks, Instant nextStepAt, boolean complete) implements Decision {
    }

    public record Promote() implements Decision {
    }

    /**
     * {@code status.nextStepAt} is set only while the routes carry the step's weight: it is written when they first
     * do, and cleared when a step is chosen or the weight is no longer applied. So a step's interval never counts time
     * the canary did not get its weight, and a restart finds all of it in status.
     */
    public static Decision decide(Canary canary, StepPlan plan, Duration interval, Duration progressDeadline, Instant now) {
        CanaryStatus status = canary.getStatus();
        Weight weight = Weight.ofPercent(canary.getSpec().weight).orElse(Weight.ZERO);
        if (status == null || status.stepIndex == null || status.stepWeight == null || status.lastWeightChange == null) {
            return new Rebase(plan.indexAtOrBelow(weight), false);
        }
        boolean byHand = !Weight.ofPercent(status.stepWeight).map(weight::equals).orElse(false);
        if (byHand) {
            return new Rebase(plan.indexAtOrBelow(weight), true);
        }
        if (!applied(status, weight)) {
            Instant changed = Instant.parse(status.lastWeightChange);
            if (progressDeadline != null && now.isAfter(changed.plus(progressDeadline))) {
                return new Abort("ProgressDeadlineExceeded", "traffic did not reach " + weight + " % within "
                        + progressDeadline.toSeconds() + "s of the weight change: the canary pods are not ready");
            }
            return status.nextStepAt == null ? new Wait() : new StopClock();
        }
        if (status.nextStepAt == null) {
            return new StartClock(now.plus(interval));
        }
        return now.isBefore(Instant.parse(status.nextStepAt)) ? new Wait() : new Check();
    }

    /** The routes carry {@code weight}: status.weight at it and TrafficApplied True (not held, lowered, fought over). */
    static boolean applied(CanaryStatus status, Weight weight) {
        return status.weight != null && Objects.equals(Weight.ofPercent(status.weight).orElse(null), weight)
                && Conditions.isTrue(status.conditions, ConditionTypes.TRAFFIC_APPLIED);
    }

    /** What a finished check leads to. */
    public static Decision afterCheck(Canary canary, StepPlan plan, Verdict verdict, int failureThreshold,
            boolean promoteWhenDone, Duration interval, Instant now) {
        CanaryStatus status = canary.getStatus();
        int failed = status.failedChecks == null ? 0 : status.failedChecks;
        int index = status.stepIndex;
        return switch (verdict) {
            case FAIL -> failed + 1 >= failureThreshold
                    ? new Abort("AnalysisFailed", (failed + 1) + " failed checks in a row at " + canary.getSpec().weight + " %")
                    : new Hold(failed + 1, now.plus(interval), false);
            case INCONCLUSIVE -> new Hold(failed, now.plus(interval), false);
            case PASS -> plan.isLast(index)
                    ? (promoteWhenDone ? new Promote() : new Hold(0, now.plus(interval), true))
                    : new Advance(index + 1, plan.weight(index + 1));
        };
    }
}
