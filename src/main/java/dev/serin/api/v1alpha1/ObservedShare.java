package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The canary's share of requests as Prometheus measured it from Istio's metrics: never derived from the weights. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObservedShare {
    @JsonPropertyDescription("Percent of the requests (stable + canary) the canary workload received in the window, "
            + "2 decimals; absent when there were too few requests or the measurement failed (see message).")
    public Double share;

    @JsonPropertyDescription("Requests the stable and canary workloads received in the window.")
    public Long requests;

    @JsonPropertyDescription("The window the share was measured over: the time since status.weight last changed, at "
            + "most serin.observed.window, e.g. 45s or 1m.")
    public String window;

    @JsonPropertyDescription("When it was measured (RFC 3339).")
    public String time;

    @JsonPropertyDescription("Why there is no share, e.g. settling since the weight changed, or not enough requests.")
    public String message;
}
