package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Steps the weight up while the analysis passes; rolls back when it fails. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = Rules.DEADLINE_NOT_BELOW_INTERVAL, message = "progressDeadline must be at least interval"
        + " (defaults: interval 5m, progressDeadline 10m)")
public class AutopilotSpec {
    @Size(max = 50) // bounds the CEL rules' cost, which the real API server estimates before accepting the CRD
    @ValidationRule(value = Rules.EACH_A_WEIGHT,
            message = "every step must be a weight from 0 to 100 with at most 2 decimals")
    @ValidationRule(value = Rules.STRICTLY_ASCENDING,
            message = "steps must be strictly ascending, e.g. [1, 2.5, 5, 10, 25, 50]")
    @JsonPropertyDescription("Weights to step through, e.g. [1, 2.5, 5, 10, 25, 50]; or use stepWeight and maxWeight.")
    public List<Double> steps;

    @Min(value = 0, inclusive = false)
    @Max(100)
    @ValidationRule(value = Rules.TWO_DECIMALS, message = "stepWeight must have at most 2 decimals, e.g. 2.5 or 0.25")
    @JsonPropertyDescription("Increment per step when steps is absent.")
    public Double stepWeight;

    @Min(0)
    @Max(100)
    @ValidationRule(value = Rules.TWO_DECIMALS, message = "maxWeight must have at most 2 decimals, e.g. 2.5 or 0.25")
    @JsonPropertyDescription("Last step when steps is absent.")
    public Double maxWeight;

    @Pattern(Rules.DURATION_PATTERN)
    @Size(max = 32)
    @ValidationRule(value = Rules.DURATION_ABOVE_ZERO, message = "interval must be a duration above zero, e.g. 30s, 5m, 1h30m or PT5M")
    @JsonPropertyDescription("Time held at each step before the next, if the analysis passes, e.g. 5m or PT5M.")
    public String interval;

    @Pattern(Rules.DURATION_PATTERN)
    @Size(max = 32)
    @ValidationRule(value = Rules.DURATION_ABOVE_ZERO,
            message = "progressDeadline must be a duration above zero, e.g. 10m, 1h or PT10M")
    @JsonPropertyDescription("Canary not ready by then: abort, e.g. 10m or PT10M.")
    public String progressDeadline;

    @JsonPropertyDescription("Hold (stay at the last step until a person acts) or Promote.")
    public OnComplete onComplete;

    public AnalysisSpec analysis;

    public enum OnComplete {
        Hold, Promote
    }
}
