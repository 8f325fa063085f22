package dev.serin.traffic;

/**
 * Why Serin will not write traffic as asked, for a reason retrying cannot fix: the reconcile reports it as
 * {@code TrafficApplied=False} with this reason and message, and one Warning Event, and writes nothing serving traffic
 * for it. It tries again when the Canary or the routes change, or at the longest back-off.
 */
public record Refusal(String reason, String message) {
    /** With serin.istio.percent-weights, a weight to write (say, the routes' own, held) that is no whole percent. */
    public static final String WEIGHT_NOT_WHOLE_PERCENT = "WeightNotWholePercent";
    /** A route's weights, scaled so the split is exact beside another destination, would pass Istio's int32. */
    public static final String ROUTE_WEIGHTS_OVERFLOW = "RouteWeightsOverflow";
    /** An HTTPRoute rule's weights, scaled so the split is exact beside another backend, would pass 1,000,000. */
    public static final String BACKEND_WEIGHTS_OVERFLOW = "BackendWeightsOverflow";
    /**
     * An HTTPRoute rule would need more backendRefs than Gateway API allows in one rule (16): the host's one replaced
     * by the stable and canary Services beside the rule's other backends.
     */
    public static final String TOO_MANY_BACKEND_REFS = "TooManyBackendRefs";
    /** A route carries a split but fits none of the originals recorded for it: it is left as it is. */
    public static final String UNMATCHED_ROUTE = "UnmatchedRoute";

    /** The reasons a reconcile reports with one Warning Event each. */
    public static boolean isRefusal(String reason) {
        return WEIGHT_NOT_WHOLE_PERCENT.equals(reason) || ROUTE_WEIGHTS_OVERFLOW.equals(reason)
                || BACKEND_WEIGHTS_OVERFLOW.equals(reason) || TOO_MANY_BACKEND_REFS.equals(reason)
                || UNMATCHED_ROUTE.equals(reason);
    }
}
