package dev.serin.autopilot;

import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.traffic.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The weights the autopilot steps through, ascending. */
public record StepPlan(List<Weight> steps) {

    /** The plan, or empty when the spec does not describe a valid one. */
    public static Optional<StepPlan> of(AutopilotSpec spec) {
        List<Weight> steps = new ArrayList<>();
        if (spec.steps != null && !spec.steps.isEmpty()) {
            for (Double step : spec.steps) {
                Optional<Weight> w = step == null ? Optional.empty() : Weight.ofPercent(step);
                if (w.isEmpty() || (!steps.isEmpty() && w.get().compareTo(steps.get(steps.size() - 1)) <= 0)) {
                    return Optional.empty();
                }
                steps.add(w.get());
            }
            return Optional.of(new StepPlan(List.copyOf(steps)));
        }
        if (spec.stepWeight == null || spec.maxWeight == null) {
            return Optional.empty();
        }
        Optional<Weight> step = Weight.ofPercent(spec.stepWeight);
        Optional<Weight> max = Weight.ofPercent(spec.maxWeight);
        if (step.isEmpty() || max.isEmpty() || step.get().basisPoints() == 0) {
            return Optional.empty();
        }
        for (int bp = step.get().basisPoints(); bp < max.get().basisPoints(); bp += step.get().basisPoints()) {
            steps.add(new Weight(bp));
        }
        steps.add(max.get());
        return Optional.of(new StepPlan(List.copyOf(steps)));
    }

    public Weight weight(int index) {
        return steps.get(index);
    }

    /** Index of the highest step at or below the weight; -1 when the weight is below the first step. */
    public int indexAtOrBelow(Weight weight) {
        int index = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).compareTo(weight) <= 0) {
                index = i;
            }
        }
        return index;
    }

    public boolean isLast(int index) {
        return index >= steps.size() - 1;
    }
}
