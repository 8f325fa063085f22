package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryTemplate {
    public static final String DEFAULT_VERSION = "canary";

    @Pattern(Rules.LABEL_VALUE_PATTERN)
    @Size(max = 63)
    @JsonPropertyDescription("Value of the subset label on canary pods; default \"canary\".")
    public String version;

    @Min(0)
    @JsonPropertyDescription("Fixed canary replicas; when absent, max(1, ceil(stable replicas x weight / 100)).")
    public Integer replicas;

    @JsonPropertyDescription("Containers matched by name: image replaced, env merged by name.")
    public List<ContainerPatch> containers;

    @JsonPropertyDescription("Extra pod labels.")
    public Map<String, String> labels;

    @JsonPropertyDescription("Extra pod annotations.")
    public Map<String, String> annotations;
}
