package dev.serin.autopilot.analysis;

/** The verdict of one metric or of a whole analysis. */
public enum Verdict {
    /** Healthy: every metric had data and was within its bounds. */
    PASS("Pass"),
    /** Unhealthy: some metric was outside its bounds. */
    FAIL("Fail"),
    /** Cannot tell: too few requests, no data, or Prometheus could not be asked. The step holds. */
    INCONCLUSIVE("Inconclusive");

    private final String statusValue;

    Verdict(String statusValue) {
        this.statusValue = statusValue;
    }

    /** The spelling kept in {@link dev.serin.api.v1alpha1.AnalysisRecord}: Pass, Fail or Inconclusive. */
    public String statusValue() {
        return statusValue;
    }
}
