package dev.serin.autopilot;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.autopilot.analysis.Verdict;
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

    /** (Re)start counting from the step at or below the current weight: first sight, or a person set the weight. */
    public record Rebase(int stepIndex, Instant nextStepAt, boolean byHand) implements Decision {
    }

    /** The interval has passed at this step: run the analysis. */
    public record Check() implements Decision {
    }

    public record Abort(String reason, String message) implements Decision {
    }

    /** After a passing check: the next step. */
    public record Advance(int stepIndex, Weight weight, Instant nextStepAt) implements Decision {
    }

    /** Stay at this step and look again later. */
    public record Hold(int failedChecks, Instant nextStepAt, boolean complete) implements Decision {
    }

    public record Promote() implements Decision {
    }

    public static Decision decide(Canary canary, StepPlan plan, Duration interval, Duration progressDeadline, Instant now) {
        CanaryStatus status = canary.getStatus();
        Weight weight = Weight.ofPercent(canary.getSpec().weight).orElse(Weight.ZERO);
        if (status == null || status.stepIndex == null || status.stepWeight == null || status.lastWeightChange == null
                || status.nextStepAt == null) {
            return new Rebase(plan.indexAtOrBelow(weight), now.plus(interval), false);
        }
        boolean byHand = status.stepWeight == null || !Weight.ofPercent(status.stepWeight).map(weight::equals).orElse(false);
        if (byHand) {
            return new Rebase(plan.indexAtOrBelow(weight), now.plus(interval), true);
        }
        boolean applied = status.weight != null && Objects.equals(Weight.ofPercent(status.weight).orElse(null), weight);
        Instant changed = Instant.parse(status.lastWeightChange);
        if (!applied && progressDeadline != null && now.isAfter(changed.plus(progressDeadline))) {
            return new Abort("ProgressDeadlineExceeded", "traffic did not reach " + weight + " % within "
                    + progressDeadline.toSeconds() + "s of the weight change: the canary pods are not ready");
        }
        if (!applied || now.isBefore(Instant.parse(status.nextStepAt))) {
            return new Wait();
        }
        return new Check();
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
                    : new Advance(index + 1, plan.weight(index + 1), now.plus(interval));
        };
    }
}
