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
    /** The judge's score (0..100) of the metrics compared with stable; absent when none is compared or judged. */
    public Double score;
    /** The judge's verdict on the compared metrics: Pass, Marginal, Fail or Inconclusive; absent when none. */
    public String judgement;
    public List<MetricValue> metrics;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class MetricValue {
        public String name;
        public Double value;
        public String result;
        public String message;
        /** Compared with stable: High, Low, Pass or Inconclusive (too few samples). */
        public String classification;
        public Integer canarySamples;
        public Integer stableSamples;
        public Double canaryMedian;
        public Double stableMedian;
        /** Mean canary / mean stable; absent when either mean is 0. */
        public Double effectSize;
        /** The location shift canary − stable (Hodges–Lehmann-style estimate of the Mann–Whitney test). */
        public Double estimate;
        /** The shift's 98 % confidence interval. */
        public Interval interval;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Interval {
        public Double lower;
        public Double upper;
    }
}
