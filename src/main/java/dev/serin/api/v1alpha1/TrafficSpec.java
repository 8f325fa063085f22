package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = Rules.ONE_DIALECT, message = "httpRoutes (Gateway API) and virtualServices or destinationRule"
        + " (Istio) are two ways to split traffic: set one or the other")
public class TrafficSpec {
    public static final String DEFAULT_SUBSET_LABEL = "version";

    @JsonPropertyDescription("Destination host to split; default targetRef.name.")
    public String host;

    @JsonPropertyDescription("Existing VirtualServices to patch; default [targetRef.name].")
    public List<String> virtualServices;

    @JsonPropertyDescription("DestinationRule holding the stable and canary subsets; default targetRef.name.")
    public String destinationRule;

    @Size(min = 1, max = 16)
    @JsonPropertyDescription("Gateway API HTTPRoutes (in the Canary's namespace) to split instead of Istio objects:"
            + " their rules naming the host's Service send its share to <name>-stable and <name>-canary Services.")
    public List<String> httpRoutes;

    @JsonPropertyDescription("Pod label that tells stable from canary pods; default \"version\".")
    public String subsetLabel;
}
