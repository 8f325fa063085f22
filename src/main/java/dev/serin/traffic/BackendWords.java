package dev.serin.traffic;

/**
 * How a router's backends are called in conditions and Events.
 *
 * @param plural        "subsets": "waiting ... for the subsets to reach every proxy"
 * @param stable        "the stable subset": "all traffic to the stable subset"
 * @param waitingReason the TrafficApplied reason while a backend change settles, e.g. "WaitingForSubsets"
 */
public record BackendWords(String plural, String stable, String waitingReason) {
}
