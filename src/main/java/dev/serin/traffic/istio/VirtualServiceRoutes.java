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
            } else if (!originals.has(key)) {
                originals.set(key, unsubsetted(destinations, host, namespace));
            }
            route.set("route", splitDestinations(destinations, host, namespace, split));
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
            String host = destinations.path(0).path("destination").path("host").asText(null);
            if (host != null && serinSplit(destinations, host, namespace).isPresent()) {
                return host;
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
        if (!destinations.isArray()) {
            return false;
        }
        for (JsonNode d : destinations) {
            if (HostName.same(d.path("destination").path("host").asText(null), host, namespace)) {
                return true;
            }
        }
        return false;
    }

    /** The ratio of a route that Serin split: only the host, only the stable and canary subsets, each once. */
    static Optional<Split> serinSplit(JsonNode destinations, String host, String namespace) {
        if (destinations.size() < 1 || destinations.size() > 2) {
            return Optional.empty();
        }
        Integer stable = null;
        Integer canary = null;
        for (JsonNode d : destinations) {
            JsonNode destination = d.path("destination");
            if (!HostName.same(destination.path("host").asText(null), host, namespace)) {
                return Optional.empty();
            }
            int weight = destinations.size() == 1 ? 1 : d.path("weight").asInt(0);
            String subset = destination.path("subset").asText("");
            if (STABLE.equals(subset) && stable == null) {
                stable = weight;
            } else if (CANARY.equals(subset) && canary == null) {
                canary = weight;
            } else {
                return Optional.empty();
            }
        }
        int s = stable == null ? 0 : stable;
        int c = canary == null ? 0 : canary;
        return s < 0 || c < 0 || s + c == 0 ? Optional.empty() : Optional.of(new Split(s, c));
    }

    private static ArrayNode splitDestinations(ArrayNode current, String host, String namespace, Split split) {
        ObjectNode template = null;
        for (JsonNode d : current) {
            if (HostName.same(d.path("destination").path("host").asText(null), host, namespace)) {
                template = ((ObjectNode) d).deepCopy();
                break;
            }
        }
        template.remove("weight");
        ArrayNode result = Annotations.JSON.createArrayNode();
        boolean both = split.stable() > 0 && split.canary() > 0;
        if (split.stable() > 0) {
            result.add(destination(template, STABLE, both ? split.stable() : null));
        }
        if (split.canary() > 0) {
            result.add(destination(template, CANARY, both ? split.canary() : null));
        }
        return result;
    }

    private static ObjectNode destination(ObjectNode template, String subset, Integer weight) {
        ObjectNode d = template.deepCopy();
        d.with("destination").put("subset", subset);
        if (weight != null) {
            d.put("weight", weight);
        }
        return d;
    }

    /** The safest original we can rebuild when the recorded one is lost: the host, without a subset. */
    private static ArrayNode unsubsetted(JsonNode destinations, String host, String namespace) {
        ArrayNode result = Annotations.JSON.createArrayNode();
        for (JsonNode d : destinations) {
            if (HostName.same(d.path("destination").path("host").asText(null), host, namespace)) {
                ObjectNode only = ((ObjectNode) d).deepCopy();
                only.remove("weight");
                ((ObjectNode) only.get("destination")).remove("subset");
                result.add(only);
                break;
            }
        }
        return result;
    }

    private static String namespace(JsonNode resource) {
        return resource.path("metadata").path("namespace").asText("default");
    }
}
