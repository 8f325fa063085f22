package dev.serin.autopilot.analysis;

import java.time.Duration;

/**
 * The built-in PromQL of compare mode, as pure functions: evaluated as a range query at each step, each sample is the
 * metric over that one step ({@code [step]}), per pod where the series carry a {@code pod} label (without one, a
 * single series). Selectors are {@link PromQl#selector}'s: the canary side is narrowed to the canary's version, the
 * stable side ({@code version} null) to the target's workload alone.
 */
public final class ComparePromQl {
    private ComparePromQl() {
    }

    /**
     * Percent of requests in each step that were not 5xx. A pod without a 5xx series counts 0 errors; a step without
     * requests gives NaN (0/0), which the judge drops.
     */
    public static String successRate(String namespace, String workload, String version, Duration step) {
        String w = "[" + PromQl.duration(step) + "]";
        String errors = "sum by (pod) (rate(" + PromQl.REQUESTS_TOTAL
                + PromQl.selector(namespace, workload, version, "5..") + w + "))";
        String all = "sum by (pod) (rate(" + PromQl.REQUESTS_TOTAL
                + PromQl.selector(namespace, workload, version, null) + w + "))";
        return "100 * (1 - ((" + errors + " or " + all + " * 0) / " + all + "))";
    }

    /** The 99th percentile of request duration in each step, in milliseconds; NaN for a step without requests. */
    public static String latencyP99(String namespace, String workload, String version, Duration step) {
        return "histogram_quantile(0.99, sum by (le, pod) (rate(" + PromQl.DURATION_BUCKET
                + PromQl.selector(namespace, workload, version, null) + "[" + PromQl.duration(step) + "])))";
    }
}
