package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** A metric judged canary against stable (Mann–Whitney U at 98 % confidence and an effect size). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Compare {
    public static final double DEFAULT_ALLOWED = 1.0;

    @JsonPropertyDescription("Which change is bad: increase, decrease or either. Defaults: increase for latencyP99,"
            + " decrease for successRate, either for queries.")
    public Direction direction;

    @Min(1)
    @JsonPropertyDescription("High only when mean canary / mean stable is at least this, e.g. 1.1; default 1.")
    public Double allowedIncrease;

    @Min(0)
    @Max(1)
    @JsonPropertyDescription("Low only when mean canary / mean stable is at most this, e.g. 0.9; default 1.")
    public Double allowedDecrease;

    @JsonPropertyDescription("High or Low fails the check (score 0) whatever the other metrics say; default false.")
    public Boolean critical;

    @JsonPropertyDescription("Drop values beyond 3 interquartile ranges of each side's quartiles; default false.")
    public Boolean removeOutliers;

    public enum Direction {
        @JsonProperty("increase")
        INCREASE,
        @JsonProperty("decrease")
        DECREASE,
        @JsonProperty("either")
        EITHER
    }
}
