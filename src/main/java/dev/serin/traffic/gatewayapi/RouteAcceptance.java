package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whether the Gateway API implementations that report on an HTTPRoute have seen its current spec: each condition in
 * {@code status.parents[].conditions} that carries an {@code observedGeneration} carries the route's
 * {@code metadata.generation}. A route nobody reports on is taken as seen (the settle time alone then covers it).
 */
public final class RouteAcceptance {
    private RouteAcceptance() {
    }

    public static boolean caughtUp(JsonNode route) {
        long generation = route.path("metadata").path("generation").asLong(0);
        for (JsonNode parent : route.path("status").path("parents")) {
            for (JsonNode condition : parent.path("conditions")) {
                JsonNode observed = condition.path("observedGeneration");
                if (observed.isNumber() && observed.asLong() < generation) {
                    return false;
                }
            }
        }
        return true;
    }
}
