package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrafficSpec {
    public static final String DEFAULT_SUBSET_LABEL = "version";

    @JsonPropertyDescription("Destination host to split; default targetRef.name.")
    public String host;

    @JsonPropertyDescription("Existing VirtualServices to patch; default [targetRef.name].")
    public List<String> virtualServices;

    @JsonPropertyDescription("DestinationRule holding the stable and canary subsets; default targetRef.name.")
    public String destinationRule;

    @JsonPropertyDescription("Pod label that tells stable from canary pods; default \"version\".")
    public String subsetLabel;
}
