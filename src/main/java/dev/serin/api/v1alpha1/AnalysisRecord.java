package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One analysis check as kept in status: when, each metric's value, and the verdict. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisRecord {
    /** RFC 3339 time of the check. */
    public String time;
    /** Pass, Fail or Inconclusive. */
    public String result;
    public List<MetricValue> metrics;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class MetricValue {
        public String name;
        public Double value;
        public String result;
        public String message;
    }
}
