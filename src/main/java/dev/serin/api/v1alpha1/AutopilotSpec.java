package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Steps the weight up while the analysis passes; rolls back when it fails. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutopilotSpec {
    @JsonPropertyDescription("Weights to step through, e.g. [1, 2.5, 5, 10, 25, 50]; or use stepWeight and maxWeight.")
    public List<Double> steps;

    @JsonPropertyDescription("Increment per step when steps is absent.")
    public Double stepWeight;

    @JsonPropertyDescription("Last step when steps is absent.")
    public Double maxWeight;

    @JsonPropertyDescription("Time held at each step before the next, if the analysis passes, e.g. 5m.")
    public String interval;

    @JsonPropertyDescription("Canary not ready by then: abort, e.g. 10m.")
    public String progressDeadline;

    @JsonPropertyDescription("Hold (stay at the last step until a person acts) or Promote.")
    public OnComplete onComplete;

    public AnalysisSpec analysis;

    public enum OnComplete {
        Hold, Promote
    }
}
