package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class CanaryStatus {
    public Phase phase;
    @JsonPropertyDescription("The canary weight now written in every VirtualService: what traffic really gets.")
    public Double weight;

    public String canaryDeployment;
    public Integer replicas;
    public Integer readyReplicas;
    public Long observedGeneration;
    public String dashboardUrl;
    public List<Condition> conditions = new ArrayList<>();
}
