package dev.serin.api.v1alpha1;

/** Condition types a Canary's status carries. */
public final class ConditionTypes {
    public static final String VALID = "Valid";
    public static final String CANARY_READY = "CanaryReady";
    public static final String TRAFFIC_APPLIED = "TrafficApplied";

    private ConditionTypes() {
    }
}
