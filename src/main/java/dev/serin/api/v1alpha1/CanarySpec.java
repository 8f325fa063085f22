package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanarySpec {
    @Required
    @JsonPropertyDescription("The stable Deployment in the same namespace.")
    public TargetRef targetRef;

    @Required
    @Min(0)
    @Max(100)
    @ValidationRule(value = Rules.TWO_DECIMALS, message = "weight must have at most 2 decimals, e.g. 2.5 or 0.25")
    @JsonPropertyDescription("Canary share of traffic in percent, 0..100 with at most 2 decimals.")
    public Double weight;

    @JsonPropertyDescription("How the canary Deployment differs from the stable one.")
    public CanaryTemplate canary;

    @JsonPropertyDescription("Which Istio or Gateway API objects carry the split.")
    public TrafficSpec traffic;

    @JsonPropertyDescription("Holds the weight where it is: the autopilot takes no step while true.")
    public Boolean paused;

    @JsonPropertyDescription("Steps the weight up automatically while the analysis passes.")
    public AutopilotSpec autopilot;

    @Size(max = Rules.MAX_TESTERS)
    @JsonPropertyDescription("Requests matching any of these go to the canary whatever the weight, 0 included, while"
            + " the canary has ready pods; at most 8.")
    public List<Tester> testers;

    @JsonPropertyDescription("Canary responses set a cookie that keeps the user on the canary while the weight is"
            + " above 0.")
    public Sticky sticky;
}
