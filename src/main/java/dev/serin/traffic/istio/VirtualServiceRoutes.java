package dev.serin.traffic.istio;

import static dev.serin.traffic.istio.SubsetNames.CANARY;
import static dev.serin.traffic.istio.SubsetNames.STABLE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.serin.traffic.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Pure functions over a VirtualService (as JSON): read the split a host gets, write a split, restore the
 * destinations the routes had before. Only the {@code route} arrays of routes that send traffic to the host
 * change; every other route, match, retry, timeout, header rule and field is left as it was.
 */
public final class VirtualServiceRoutes {
    /** The destinations each split route had before Serin touched it, keyed by Canary, then by route. */
    public static final String ORIGINAL_ROUTES = "serin.dev/original-routes";
    /** The host each Canary splits here, so a Canary that is gone can still be stopped from this object alone. */
    public static final String CANARY_HOSTS = "serin.dev/canary-hosts";
    static final List<String> SECTIONS = List.of("http", "tls", "tcp");

    private VirtualServiceRoutes() {
    }

    /** What the routes to one host carry now: how many there are, how many Serin split, and their splits. */
    public record Observation(int routes, int splitRoutes, List<Split> splits) {
    }

    public static Observation observe(JsonNode virtualService, String host) {
        String namespace = namespace(virtualService);
        int routes = 0;
        int split = 0;
        List<Split> splits = new ArrayList<>();
        for (String section : SECTIONS) {
            for (JsonNode route : virtualService.path("spec").path(section)) {
                JsonNode destinations = route.path("route");
                if (!sendsTo(destinations, host, namespace)) {
                    continue;
                }
                routes++;
                Optional<Split> s = serinSplit(destinations, host, namespace);
                if (s.isPresent()) {
                    split++;
                    splits.add(s.get());
                }
            }
        }
        return new Observation(routes, split, splits);
    }

    /**
     * A copy whose every route to {@code host} sends traffic to the stable and canary subsets in the given
     * ratio, remembering the destinations each route had first. A side with weight 0 is left out.
     */
    public static ObjectNode withSplit(JsonNode virtualService, String canary, String host, Split split) {
        ObjectNode copy = virtualService.deepCopy();
        String namespace = namespace(copy);
        JsonNode previous = Annotations.entry(copy, ORIGINAL_ROUTES, canary);
        ObjectNode originals = previous instanceof ObjectNode o ? o.deepCopy() : Annotations.JSON.createObjectNode();
        forEachRouteTo(copy, host, namespace, (key, route) -> {
            ArrayNode destinations = (ArrayNode) route.get("route");
            if (serinSplit(destinations, host, namespace).isEmpty()) {
                originals.set(key, destinations.deepCopy()); // the latest intent of whoever owns the route
            } else if (!sendsTo(originals.path(key), host, namespace)) { // lost, or not this route's any more
                originals.set(key, unsubsetted(destinations, host, namespace));
            }
            // from the original, not from the split: weights scaled for one split do not grow with the next
            route.set("route", SplitDestinations.split(originals.get(key), host, namespace, split));
        });
        Annotations.putEntry(copy, ORIGINAL_ROUTES, canary, originals.isEmpty() ? null : originals);
        Annotations.putEntry(copy, CANARY_HOSTS, canary, originals.isEmpty() ? null : TextNode.valueOf(host));
        return copy;
    }

    /**
     * A copy whose routes split by Serin are back to the destinations they had before, and without the
     * Canary's bookkeeping. Routes somebody else has rewritten since are left alone.
     */
    public static ObjectNode restored(JsonNode virtualService, String canary, String host) {
        ObjectNode copy = virtualService.deepCopy();
        String namespace = namespace(copy);
        JsonNode originals = Annotations.entry(copy, ORIGINAL_ROUTES, canary);
        forEachRouteTo(copy, host, namespace, (key, route) -> {
            ArrayNode destinations = (ArrayNode) route.get("route");
            if (serinSplit(destinations, host, namespace).isEmpty()) {
                return;
            }
            JsonNode original = originals == null ? null : originals.get(key);
            route.set("route", original != null && original.isArray()
                    ? original.deepCopy()
                    : unsubsetted(destinations, host, namespace));
        });
        Annotations.putEntry(copy, ORIGINAL_ROUTES, canary, null);
        Annotations.putEntry(copy, CANARY_HOSTS, canary, null);
        return copy;
    }

    /**
     * True when every route to the host is split by Serin and writing {@code split} would change none of them: the
     * routes carry that split as Serin writes it (their other destinations included).
     */
    public static boolean carries(JsonNode virtualService, String canary, String host, Split split) {
        Observation seen = observe(virtualService, host);
        return seen.routes() > 0 && seen.splitRoutes() == seen.routes()
                && withSplit(virtualService, canary, host, split).path("spec").equals(virtualService.path("spec"));
    }

    /**
     * The subsets of the host that the routes to it named before the Canary (from the recorded originals while they
     * are split), in order of appearance, without Serin's own.
     */
    public static List<String> userSubsets(JsonNode virtualService, String canary, String host) {
        String namespace = namespace(virtualService);
        JsonNode originals = Annotations.entry(virtualService, ORIGINAL_ROUTES, canary);
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        forEachRouteTo(virtualService.deepCopy(), host, namespace, (key, route) -> {
            JsonNode destinations = route.get("route");
            if (serinSplit(destinations, host, namespace).isPresent()) {
                destinations = originals == null ? MissingNode.getInstance() : originals.path(key);
            }
            for (JsonNode d : destinations) {
                String subset = d.path("destination").path("subset").asText("");
                if (SplitDestinations.isHost(d, host, namespace) && !subset.isEmpty() && !STABLE.equals(subset)
                        && !CANARY.equals(subset)) {
                    names.add(subset);
                }
            }
        });
        return new ArrayList<>(names);
    }

    /** The Canaries that split routes here (and so have originals to restore). */
    public static Set<String> canaries(JsonNode virtualService) {
        Set<String> names = Annotations.canaries(virtualService, ORIGINAL_ROUTES);
        names.addAll(Annotations.canaries(virtualService, CANARY_HOSTS));
        return names;
    }

    /**
     * The host the Canary splits here, without the Canary: from {@link #CANARY_HOSTS}, else (on objects an older Serin
     * wrote) the host of a route its original-routes entry names that is split now. Null when neither tells.
     */
    public static String splitHost(JsonNode virtualService, String canary) {
        JsonNode recorded = Annotations.entry(virtualService, CANARY_HOSTS, canary);
        if (recorded != null && recorded.isTextual()) {
            return recorded.asText();
        }
        JsonNode originals = Annotations.entry(virtualService, ORIGINAL_ROUTES, canary);
        if (originals == null) {
            return null;
        }
        String namespace = namespace(virtualService);
        for (var keys = originals.fieldNames(); keys.hasNext();) {
            JsonNode destinations = routeAt(virtualService, keys.next()).path("route");
            for (JsonNode d : destinations) {
                String host = d.path("destination").path("host").asText(null);
                String subset = d.path("destination").path("subset").asText("");
                if (host != null && (STABLE.equals(subset) || CANARY.equals(subset))
                        && serinSplit(destinations, host, namespace).isPresent()) {
                    return host;
                }
            }
        }
        return null;
    }

    /** A VirtualService with one HTTP route to the host, for a Canary whose listed VirtualService is missing. */
    public static ObjectNode minimal(String apiVersion, String name, String namespace, String host) {
        ObjectNode vs = Annotations.JSON.createObjectNode();
        vs.put("apiVersion", apiVersion);
        vs.put("kind", "VirtualService");
        vs.with("metadata").put("name", name).put("namespace", namespace);
        ObjectNode spec = vs.with("spec");
        spec.withArray("hosts").add(host);
        spec.withArray("http").addObject().withArray("route").addObject().with("destination").put("host", host);
        return vs;
    }

    /** The route a key of an original-routes entry names ("http/1", as {@link #forEachRouteTo} makes them). */
    private static JsonNode routeAt(JsonNode vs, String key) {
        int slash = key.indexOf('/');
        try {
            return slash < 0 ? MissingNode.getInstance()
                    : vs.path("spec").path(key.substring(0, slash)).path(Integer.parseInt(key.substring(slash + 1)));
        } catch (NumberFormatException e) {
            return MissingNode.getInstance();
        }
    }

    private interface RouteVisitor {
        void visit(String key, ObjectNode route);
    }

    private static void forEachRouteTo(ObjectNode vs, String host, String namespace, RouteVisitor visitor) {
        for (String section : SECTIONS) {
            JsonNode routes = vs.path("spec").path(section);
            for (int i = 0; i < routes.size(); i++) {
                if (routes.get(i) instanceof ObjectNode route && sendsTo(route.path("route"), host, namespace)) {
                    visitor.visit(section + "/" + i, route);
                }
            }
        }
    }

    private static boolean sendsTo(JsonNode destinations, String host, String namespace) {
        return SplitDestinations.sendsTo(destinations, host, namespace);
    }

    static Optional<Split> serinSplit(JsonNode destinations, String host, String namespace) {
        return SplitDestinations.serinSplit(destinations, host, namespace);
    }

    private static ArrayNode unsubsetted(JsonNode destinations, String host, String namespace) {
        return SplitDestinations.unsubsetted(destinations, host, namespace);
    }

    private static String namespace(JsonNode resource) {
        return resource.path("metadata").path("namespace").asText("default");
    }
}
