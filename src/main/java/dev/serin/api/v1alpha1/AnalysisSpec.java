package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import java.util.List;

/** How each step's health is judged, from Istio's standard metrics in Prometheus. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisSpec {
    @JsonPropertyDescription("Prometheus base URL, e.g. http://prometheus.istio-system:9090")
    public String prometheus;

    @JsonPropertyDescription("Percent of canary requests that are not 5xx, from istio_requests_total.")
    public Bound successRate;

    @JsonPropertyDescription("99th percentile latency of canary requests, from istio_request_duration_milliseconds_bucket.")
    public LatencyBound latencyP99;

    @JsonPropertyDescription("Fewer canary requests in the window: inconclusive, the step holds.")
    public Integer minRequests;

    @JsonPropertyDescription("Any PromQL, compared with min and/or max.")
    public List<Query> queries;

    @Min(1)
    @JsonPropertyDescription("Failed checks in a row before rollback; default 3.")
    public Integer failureThreshold;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Bound {
        public Double min;
        public Double max;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class LatencyBound {
        public Double maxMs;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Query {
        public String name;
        public String query;
        public Double min;
        public Double max;
    }
}
