package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

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

    /** The implementations that report on the route ({@code status.parents[].controllerName}), sorted. */
    public static Set<String> controllers(JsonNode route) {
        Set<String> controllers = new TreeSet<>();
        route.path("status").path("parents").forEach(p -> {
            String name = p.path("controllerName").asText("");
            if (!name.isEmpty()) {
                controllers.add(name);
            }
        });
        return controllers;
    }

    /**
     * Whether one of the controllers is Istio's: their names begin with {@code istio.io/}
     * ({@code istio.io/gateway-controller} for its gateways, {@code istio.io/mesh-controller} for the mesh).
     */
    public static boolean byIstio(Collection<String> controllers) {
        return controllers.stream().anyMatch(c -> c.startsWith("istio.io/"));
    }
}
