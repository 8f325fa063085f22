package dev.serin.autopilot.judge;

/** How a canary's metric compares with the stable version's. */
public enum Classification {
    /** Significantly higher than stable, beyond the allowed increase. */
    HIGH("High"),
    /** Significantly lower than stable, beyond the allowed decrease. */
    LOW("Low"),
    /** No significant difference in the direction that matters. */
    PASS("Pass"),
    /** Too few samples on a side to judge; holds the step, never a failure. */
    INCONCLUSIVE("Inconclusive");

    private final String statusValue;

    Classification(String statusValue) {
        this.statusValue = statusValue;
    }

    /** The spelling kept in status: High, Low, Pass or Inconclusive. */
    public String statusValue() {
        return statusValue;
    }
}
