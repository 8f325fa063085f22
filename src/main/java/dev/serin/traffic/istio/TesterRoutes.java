package dev.serin.traffic.istio;

import dev.serin.traffic.JsonAnnotations;
import static dev.serin.traffic.istio.SubsetNames.CANARY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.traffic.RouteRecords.Route;
import dev.serin.traffic.Split;
import dev.serin.traffic.Testers;
import java.util.Comparator;
import java.util.List;

/**
 * Pure functions for the tester routes Serin writes into a VirtualService: right before every HTTP route it splits,
 * a route named {@code serin-testers-<route name>} (or {@code serin-testers-<index>}, the index in the user's own list)
 * whose matches are the split route's own combined with each tester match, every other field of the split route
 * copied, and whose single destination is the canary subset. Tester routes are Serin's own: the split, the weight
 * read-back and the originals all work on the VirtualService {@link #without} them. The sticky cookie is a
 * {@code set-cookie} response header on the canary destination of each split route.
 */
final class TesterRoutes {
    static final String PREFIX = "serin-testers-";
    static final String SET_COOKIE = "set-cookie";

    private TesterRoutes() {
    }

    /** A tester route Serin wrote for the host: its name and its one destination, the host's canary subset. */
    static boolean isTesterRoute(JsonNode route, String host, String namespace) {
        JsonNode destinations = route.path("route");
        return route.path("name").asText("").startsWith(PREFIX) && destinations.size() == 1
                && SplitDestinations.isHost(destinations.get(0), host, namespace)
                && CANARY.equals(destinations.get(0).path("destination").path("subset").asText(""));
    }

    /** How many tester routes for the host the VirtualService has. */
    static int count(JsonNode vs, String host, String namespace) {
        int count = 0;
        for (JsonNode route : vs.path("spec").path("http")) {
            count += isTesterRoute(route, host, namespace) ? 1 : 0;
        }
        return count;
    }

    /** A copy without the host's tester routes: the routes as their owner wrote them, positions included. */
    static ObjectNode without(JsonNode vs, String host, String namespace) {
        ObjectNode copy = vs.deepCopy();
        JsonNode http = copy.path("spec").path("http");
        if (http instanceof ArrayNode list) {
            for (int i = list.size() - 1; i >= 0; i--) {
                if (isTesterRoute(list.get(i), host, namespace)) {
                    list.remove(i);
                }
            }
        }
        return copy;
    }

    /**
     * Writes the testers beside the split routes of {@code vs} (positions as in {@code vs}): the sticky cookie on their
     * canary destinations, and a tester route right before each HTTP one. TLS and TCP routes carry no headers.
     */
    static void insert(ObjectNode vs, List<Route> splitRoutes, String host, String namespace, Testers testers,
            Split split) {
        List<Route> http = splitRoutes.stream().filter(r -> "http".equals(r.kind()))
                .sorted(Comparator.comparingInt(Route::index).reversed()).toList();
        if (http.isEmpty()) {
            return;
        }
        ArrayNode list = (ArrayNode) vs.path("spec").path("http");
        for (Route r : http) {
            ObjectNode route = (ObjectNode) list.get(r.index());
            if (testers.setsCookie(split)) {
                for (JsonNode d : route.path("route")) {
                    if (isCanary(d, host, namespace)) {
                        ((ObjectNode) d).with("headers").with("response").with("add")
                                .put(SET_COOKIE, testers.sticky().setCookie());
                    }
                }
            }
            List<Testers.Match> matches = testers.matchesFor(split);
            ArrayNode combined = combined(route.path("match"), matches);
            if (!combined.isEmpty()) {
                list.insert(r.index(), testerRoute(route, r, combined, host, namespace));
            }
        }
    }

    /**
     * The split route's matches, each combined with each tester match (a route without matches: the tester matches
     * alone). A route match that already has a condition on the tester's header cannot also require the tester's
     * value there (Istio keys header conditions by name), so that combination is left out.
     */
    static ArrayNode combined(JsonNode routeMatch, List<Testers.Match> testers) {
        ArrayNode result = JsonAnnotations.JSON.createArrayNode();
        List<JsonNode> own = routeMatch.isArray() && !routeMatch.isEmpty() ? List.copyOf(toList(routeMatch))
                : List.of(JsonAnnotations.JSON.createObjectNode());
        for (JsonNode m : own) {
            for (Testers.Match t : testers) {
                if (m.path("headers").has(t.header())) {
                    continue;
                }
                ObjectNode copy = m.deepCopy();
                copy.with("headers").putObject(t.header()).put(t.regex() ? "regex" : "exact", t.value());
                result.add(copy);
            }
        }
        return result;
    }

    /** A copy without the host's tester routes and sticky cookies: the split alone, as Serin writes it. */
    static ObjectNode bare(JsonNode vs, String host) {
        String namespace = vs.path("metadata").path("namespace").asText("default");
        ObjectNode copy = without(vs, host, namespace);
        for (JsonNode route : copy.path("spec").path("http")) {
            if (route instanceof ObjectNode r && r.has("route")) {
                r.set("route", withoutStickyCookie(r.get("route"), host, namespace));
            }
        }
        return copy;
    }

    /** The split route's destinations without the sticky cookie Serin added: what a split of the original gives. */
    static JsonNode withoutStickyCookie(JsonNode destinations, String host, String namespace) {
        if (!destinations.isArray()) {
            return destinations;
        }
        ArrayNode copy = destinations.deepCopy();
        for (JsonNode d : copy) {
            JsonNode add = d.path("headers").path("response").path("add");
            if (isCanary(d, host, namespace) && add instanceof ObjectNode adding && adding.has(SET_COOKIE)) {
                adding.remove(SET_COOKIE);
                prune((ObjectNode) d);
            }
        }
        return copy;
    }

    private static ObjectNode testerRoute(ObjectNode split, Route r, ArrayNode matches, String host, String namespace) {
        ObjectNode route = JsonAnnotations.JSON.createObjectNode();
        route.put("name", PREFIX + (r.name() != null ? r.name() : String.valueOf(r.index())));
        route.set("match", matches);
        JsonNode template = null;
        for (JsonNode d : split.path("route")) {
            if (template == null && SplitDestinations.isHost(d, host, namespace)) {
                template = d;
            }
        }
        ObjectNode destination = (ObjectNode) withoutStickyCookie(JsonAnnotations.JSON.createArrayNode()
                .add(template.deepCopy()), host, namespace).get(0);
        destination.remove("weight");
        destination.with("destination").put("subset", CANARY);
        route.withArray("route").add(destination);
        split.fields().forEachRemaining(field -> {
            if (!List.of("name", "match", "route").contains(field.getKey())) {
                route.set(field.getKey(), field.getValue().deepCopy());
            }
        });
        return route;
    }

    private static boolean isCanary(JsonNode d, String host, String namespace) {
        return SplitDestinations.isHost(d, host, namespace)
                && CANARY.equals(d.path("destination").path("subset").asText(""));
    }

    /** Drops the headers objects the cookie's removal left empty. */
    private static void prune(ObjectNode destination) {
        ObjectNode headers = (ObjectNode) destination.get("headers");
        ObjectNode response = (ObjectNode) headers.get("response");
        if (response.get("add").isEmpty()) {
            response.remove("add");
        }
        if (response.isEmpty()) {
            headers.remove("response");
        }
        if (headers.isEmpty()) {
            destination.remove("headers");
        }
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> items = new java.util.ArrayList<>();
        array.forEach(items::add);
        return items;
    }
}
