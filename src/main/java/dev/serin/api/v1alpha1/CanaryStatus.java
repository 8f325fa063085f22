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

    @JsonPropertyDescription("When status.weight last changed (RFC 3339): the observed share is measured since then.")
    public String weightChangedAt;

    public String canaryDeployment;
    public Integer replicas;
    public Integer readyReplicas;
    public Long observedGeneration;
    public String dashboardUrl;

    @JsonPropertyDescription("The canary's measured share of requests (Istio metrics in Prometheus), beside the weight.")
    public ObservedShare observed;
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Autopilot: index in the step plan of the weight it last set.")
    public Integer stepIndex;

    @JsonPropertyDescription("Autopilot: the spec.weight it last set or took over; any other value was set by a person.")
    public Double stepWeight;

    @JsonPropertyDescription("Autopilot: when spec.weight last changed (RFC 3339).")
    public String lastWeightChange;

    @JsonPropertyDescription("Autopilot: when the next step is due, if the analysis passes (RFC 3339): one interval"
            + " after the routes carried the step's weight; unset while they do not.")
    public String nextStepAt;

    @JsonPropertyDescription("Autopilot: failed analysis checks in a row.")
    public Integer failedChecks;

    @JsonPropertyDescription("Autopilot: the last few analysis checks, newest last.")
    public List<AnalysisRecord> analysis;
}
