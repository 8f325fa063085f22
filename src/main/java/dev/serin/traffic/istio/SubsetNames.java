package dev.serin.traffic.istio;

/** The DestinationRule subsets Serin manages. */
public final class SubsetNames {
    public static final String STABLE = "stable";
    public static final String CANARY = "canary";

    private SubsetNames() {
    }
}
