package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** How each step's health is judged, from Istio's standard metrics in Prometheus, or from Datadog. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.prometheus) || !has(self.datadog)",
        message = "name one metrics source: prometheus or datadog, not both")
@ValidationRule(value = "!has(self.datadog) || (!has(self.successRate) && !has(self.latencyP99))",
        message = "successRate and latencyP99 read Istio's metrics from Prometheus; with datadog, write them as queries")
public class AnalysisSpec {
    @JsonPropertyDescription("Prometheus base URL, e.g. http://prometheus.istio-system:9090")
    public String prometheus;

    @JsonPropertyDescription("Read the metrics from Datadog instead of Prometheus; queries are Datadog metric queries.")
    public DatadogSpec datadog;

    @JsonPropertyDescription("Percent of canary requests that are not 5xx, from istio_requests_total.")
    public Bound successRate;

    @JsonPropertyDescription("99th percentile latency of canary requests, from istio_request_duration_milliseconds_bucket.")
    public LatencyBound latencyP99;

    @JsonPropertyDescription("Fewer canary requests in the window: inconclusive, the step holds.")
    public Integer minRequests;

    @Size(max = 50) // bounds the CEL rules' cost, which the real API server estimates before accepting the CRD
    @JsonPropertyDescription("Any PromQL (or Datadog query), compared with min and/or max, or with the stable version.")
    public List<Query> queries;

    @Min(1)
    @JsonPropertyDescription("Failed checks in a row before rollback; default 3.")
    public Integer failureThreshold;

    @JsonPropertyDescription("The judge of the metrics that compare the canary with the stable version.")
    public JudgeSpec judge;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = Rules.COMPARE_OR_BOUNDS, message = "compare replaces min and max: set one or the other")
    public static class Bound {
        public Double min;
        public Double max;
        @JsonPropertyDescription("Judge against the stable version instead of fixed bounds.")
        public Compare compare;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!has(self.compare) || !has(self.maxMs)",
            message = "compare replaces maxMs: set one or the other")
    public static class LatencyBound {
        public Double maxMs;
        @JsonPropertyDescription("Judge against the stable version instead of maxMs.")
        public Compare compare;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = Rules.COMPARE_OR_BOUNDS, message = "compare replaces min and max: set one or the other")
    public static class Query {
        public String name;
        public String query;
        public Double min;
        public Double max;
        @JsonPropertyDescription("Judge against the stable version ({{workload}} is then each side's workload).")
        public Compare compare;
    }
}
