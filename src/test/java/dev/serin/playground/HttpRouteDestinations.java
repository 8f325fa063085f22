package dev.serin.playground;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.playground.TrafficSimulator.Backend;
import dev.serin.playground.TrafficSimulator.Destination;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Where a plain request to a host goes through an HTTPRoute, as a Gateway API implementation spreads it: the rule whose
 * backendRefs name the host's Service (or the {@code <canary>-stable} and {@code <canary>-canary} Services Serin puts
 * there) and that a request without headers matches, then a weighted pick among its backendRefs (weight 1 when
 * absent) and a pod among the ones each Service selects.
 */
final class HttpRouteDestinations {
    private HttpRouteDestinations() {
    }

    /**
     * The destinations of the route's rule for a request to one of {@code services}, each named after its Service;
     * null when no rule a plain request matches names any of them.
     */
    static List<Destination> of(JsonNode route, Set<String> services, Function<String, List<Backend>> endpoints) {
        for (JsonNode rule : route.path("spec").path("rules")) {
            if (!plainRequestMatches(rule) || !namesAny(rule, services)) {
                continue;
            }
            return destinations(rule, endpoints);
        }
        return null;
    }

    /** The rule's backendRefs as weighted destinations (weight 1 when absent), each named after its Service. */
    static List<Destination> destinations(JsonNode rule, Function<String, List<Backend>> endpoints) {
        List<Destination> destinations = new ArrayList<>();
        for (JsonNode ref : rule.path("backendRefs")) {
            String name = ref.path("name").asText();
            boolean service = ref.path("group").asText("").isEmpty() && "Service".equals(ref.path("kind")
                    .asText("Service"));
            destinations.add(new Destination(name, ref.path("weight").asInt(1),
                    service ? endpoints.apply(name) : List.of()));
        }
        return destinations;
    }

    private static boolean namesAny(JsonNode rule, Set<String> services) {
        for (JsonNode ref : rule.path("backendRefs")) {
            if (services.contains(ref.path("name").asText()) && "Service".equals(ref.path("kind").asText("Service"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether a request to / without headers or query parameters matches one of the rule's matches. */
    private static boolean plainRequestMatches(JsonNode rule) {
        JsonNode matches = rule.path("matches");
        if (matches.isEmpty()) {
            return true; // the API server's default: PathPrefix /
        }
        for (JsonNode match : matches) {
            JsonNode path = match.path("path");
            boolean root = path.isMissingNode() || "PathPrefix".equals(path.path("type").asText("PathPrefix"))
                    && "/".equals(path.path("value").asText("/"));
            if (root && match.path("headers").isEmpty() && match.path("queryParams").isEmpty()
                    && match.path("method").isMissingNode()) {
                return true;
            }
        }
        return false;
    }
}
