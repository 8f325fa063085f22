package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The judge's settings for the metrics that carry {@code compare}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = Rules.MARGINAL_NOT_ABOVE_PASS,
        message = "marginalScore must not be above passScore (defaults: passScore 95, marginalScore 75)")
public class JudgeSpec {
    public static final double DEFAULT_PASS_SCORE = 95;
    public static final double DEFAULT_MARGINAL_SCORE = 75;
    public static final String DEFAULT_STEP = "10s";
    public static final int DEFAULT_MIN_SAMPLES = 20;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Score (percent of compared metrics that pass) at or above which the check passes; default 95.")
    public Double passScore;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Score at or above which a check below passScore is marginal (the step holds); below it the"
            + " check fails. Default 75.")
    public Double marginalScore;

    @Pattern(Rules.DURATION_PATTERN)
    @Size(max = 32)
    @ValidationRule(value = Rules.DURATION_ABOVE_ZERO, message = "step must be a duration above zero, e.g. 10s or 1m")
    @JsonPropertyDescription("One sample per step (and per pod): each is the metric over one step; default 10s. It must"
            + " hold two scrapes of Prometheus.")
    public String step;

    @Min(1)
    @JsonPropertyDescription("Samples each side needs before a metric is judged; fewer: inconclusive, the step holds."
            + " Default 20.")
    public Integer minSamples;
}
