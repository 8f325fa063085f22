package dev.serin.traffic.istio;

import dev.serin.traffic.JsonAnnotations;
import static dev.serin.traffic.istio.SubsetNames.CANARY;
import static dev.serin.traffic.istio.SubsetNames.STABLE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.serin.traffic.Outcome;
import dev.serin.traffic.RouteRecords;
import dev.serin.traffic.RouteRecords.Matching;
import dev.serin.traffic.RouteRecords.Route;
import dev.serin.traffic.Split;
import dev.serin.traffic.Testers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pure functions over a VirtualService (as JSON): read the split a host gets, write a split, restore the
 * destinations the routes had before. Only the {@code route} arrays of routes that send traffic to the host
 * change; every other route, match, retry, timeout, header rule and field is left as it was. Which original belongs
 * to which route is decided by {@link RouteRecords}: by the route's name, else by its content, so routes inserted or
 * reordered by others meanwhile keep their own; a split route none fits is left as it is (only ever withdrawn from
 * the canary) and reported.
 */
public final class VirtualServiceRoutes {
    /** The destinations each split route had before Serin touched it, keyed by Canary, then by route. */
    public static final String ORIGINAL_ROUTES = "serin.dev/original-routes";
    /** The host each Canary splits here, so a Canary that is gone can still be stopped from this object alone. */
    public static final String CANARY_HOSTS = "serin.dev/canary-hosts";
    static final List<String> SECTIONS = List.of("http", "tls", "tcp");

    private VirtualServiceRoutes() {
    }

    /**
     * What the routes to one host carry now: how many there are, how many carry a split, the splits of those whose
     * original is known, and the split routes no recorded original fits (with their splits and names for people).
     */
    public record Observation(int routes, int splitRoutes, List<Split> splits, List<Split> unmatchedSplits,
            List<String> unmatched, int testerRoutes) {
    }

    /** What the routes to one host carry now, tester routes left out (and counted apart). */
    public static Observation observe(JsonNode withTesters, String canary, String host) {
        String namespace = namespace(withTesters);
        JsonNode virtualService = TesterRoutes.without(withTesters, host, namespace);
        List<Route> routes = routesTo(virtualService, host, namespace);
        Matching matching = matching(virtualService, canary, host, routes);
        List<Split> splits = new ArrayList<>();
        List<Split> unmatchedSplits = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (Route route : routes) {
            if (route.split()) {
                Split split = serinSplit(route.destinations(), host, namespace).orElseThrow();
                if (matching.originals().containsKey(route)) {
                    splits.add(split);
                } else {
                    unmatchedSplits.add(split);
                    unmatched.add(describe(virtualService, route));
                }
            }
        }
        return new Observation(routes.size(), splits.size() + unmatchedSplits.size(), splits, unmatchedSplits,
                unmatched, TesterRoutes.count(withTesters, host, namespace));
    }

    /**
     * A copy whose every route to {@code host} sends traffic to the stable and canary subsets in the given
     * ratio, remembering the destinations each route had first. A side with weight 0 is left out. A split route no
     * recorded original fits is left as it is, except that a split without canary takes the canary out of it too.
     * Refused, with nothing written, when a route's weights would pass int32.
     */
    public static Outcome<ObjectNode> withSplit(JsonNode virtualService, String canary, String host, Split split) {
        return withSplit(virtualService, canary, host, split, Testers.NONE);
    }

    /**
     * {@link #withSplit(JsonNode, String, String, Split)} with the testers' routes beside every split route (none: the
     * tester routes go), and the sticky cookie on the canary destinations ({@link TesterRoutes}).
     */
    public static Outcome<ObjectNode> withSplit(JsonNode virtualService, String canary, String host, Split split,
            Testers testers) {
        String namespace = namespace(virtualService);
        ObjectNode copy = TesterRoutes.without(virtualService, host, namespace);
        List<Route> routes = routesTo(copy, host, namespace);
        Matching matching = matching(copy, canary, host, routes);
        Map<Route, JsonNode> originals = new LinkedHashMap<>();
        for (Route route : routes) {
            // an unsplit route's destinations are the latest intent of whoever owns it
            JsonNode original = route.split() ? matching.originals().get(route) : route.destinations();
            if (original == null) {
                if (split.canary() == 0) { // taking the canary out of a route is safe whatever its original was
                    routeAt(copy, route).set("route", SplitDestinations.split(
                            unsubsetted(route.destinations(), host, namespace), host, namespace, split).orElseThrow());
                }
                continue;
            }
            // from the original, not from the split: weights scaled for one split do not grow with the next
            Outcome<ArrayNode> destinations = SplitDestinations.split(original, host, namespace, split);
            if (destinations.refused()) {
                return Outcome.refused(destinations.refusal().reason(),
                        describe(virtualService, route) + ": " + destinations.refusal().message());
            }
            originals.put(route, original);
            routeAt(copy, route).set("route", destinations.value());
        }
        ObjectNode entry = RouteRecords.write(originals, matching.unclaimed());
        JsonAnnotations.putEntry(copy, ORIGINAL_ROUTES, canary, entry.isEmpty() ? null : entry);
        JsonAnnotations.putEntry(copy, CANARY_HOSTS, canary, entry.isEmpty() ? null : TextNode.valueOf(host));
        TesterRoutes.insert(copy, List.copyOf(originals.keySet()), host, namespace, testers, split);
        return Outcome.of(copy);
    }

    /**
     * A copy whose routes split by Serin are back to the destinations they had before, and without the
     * Canary's bookkeeping. A split route whose original is unknown gets the host without a subset (its other
     * destinations kept), since the subsets go next; routes somebody else has rewritten since are left alone.
     */
    public static ObjectNode restored(JsonNode virtualService, String canary, String host) {
        String namespace = namespace(virtualService);
        ObjectNode copy = TesterRoutes.without(virtualService, host, namespace);
        List<Route> routes = routesTo(copy, host, namespace);
        Matching matching = matching(copy, canary, host, routes);
        for (Route route : routes) {
            if (route.split()) {
                JsonNode original = matching.originals().get(route);
                routeAt(copy, route).set("route", original != null ? original.deepCopy()
                        : unsubsetted(route.destinations(), host, namespace));
            }
        }
        JsonAnnotations.putEntry(copy, ORIGINAL_ROUTES, canary, null);
        JsonAnnotations.putEntry(copy, CANARY_HOSTS, canary, null);
        return copy;
    }

    /**
     * True when every route to the host is split by Serin and writing {@code split} would change none of them: the
     * routes carry that split as Serin writes it (their other destinations included).
     */
    public static boolean carries(JsonNode virtualService, String canary, String host, Split split) {
        return carries(virtualService, canary, host, split, Testers.NONE);
    }

    /** {@link #carries(JsonNode, String, String, Split)}, the testers' routes and sticky cookie as given included. */
    public static boolean carries(JsonNode virtualService, String canary, String host, Split split,
            Testers testers) {
        Observation seen = observe(virtualService, canary, host);
        Outcome<ObjectNode> written = withSplit(virtualService, canary, host, split, testers);
        return seen.routes() > 0 && seen.splitRoutes() == seen.routes() && !written.refused()
                && written.value().path("spec").equals(virtualService.path("spec"));
    }

    /**
     * The subsets of the host that the routes to it named before the Canary (from the recorded originals while they
     * are split), in order of appearance, without Serin's own.
     */
    public static List<String> userSubsets(JsonNode withTesters, String canary, String host) {
        String namespace = namespace(withTesters);
        JsonNode virtualService = TesterRoutes.without(withTesters, host, namespace);
        List<Route> routes = routesTo(virtualService, host, namespace);
        Matching matching = matching(virtualService, canary, host, routes);
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (Route route : routes) {
            JsonNode destinations = route.split() ? matching.originals().getOrDefault(route, MissingNode.getInstance())
                    : route.destinations();
            for (JsonNode d : destinations) {
                String subset = d.path("destination").path("subset").asText("");
                if (SplitDestinations.isHost(d, host, namespace) && !subset.isEmpty() && !STABLE.equals(subset)
                        && !CANARY.equals(subset)) {
                    names.add(subset);
                }
            }
        }
        return new ArrayList<>(names);
    }

    /** The Canaries that split routes here (and so have originals to restore). */
    public static Set<String> canaries(JsonNode virtualService) {
        Set<String> names = JsonAnnotations.canaries(virtualService, ORIGINAL_ROUTES);
        names.addAll(JsonAnnotations.canaries(virtualService, CANARY_HOSTS));
        return names;
    }

    /**
     * The host the Canary splits here, without the Canary: from {@link #CANARY_HOSTS}, else (on objects an older Serin
     * wrote) the host of a route its original-routes entry names that is split now. Null when neither tells.
     */
    public static String splitHost(JsonNode virtualService, String canary) {
        JsonNode recorded = JsonAnnotations.entry(virtualService, CANARY_HOSTS, canary);
        if (recorded != null && recorded.isTextual()) {
            return recorded.asText();
        }
        String namespace = namespace(virtualService);
        JsonNode entry = JsonAnnotations.entry(virtualService, ORIGINAL_ROUTES, canary);
        for (RouteRecords.Original original : RouteRecords.read(entry)) {
            JsonNode destinations = recordedRoute(virtualService, original).path("route");
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
        ObjectNode vs = JsonAnnotations.JSON.createObjectNode();
        vs.put("apiVersion", apiVersion);
        vs.put("kind", "VirtualService");
        vs.with("metadata").put("name", name).put("namespace", namespace);
        ObjectNode spec = vs.with("spec");
        spec.withArray("hosts").add(host);
        spec.withArray("http").addObject().withArray("route").addObject().with("destination").put("host", host);
        return vs;
    }

    /** The route a record was made for, where it was recorded: by name, else by position. */
    private static JsonNode recordedRoute(JsonNode vs, RouteRecords.Original original) {
        JsonNode routes = vs.path("spec").path(original.kind());
        if (original.name() == null) {
            return routes.path(original.index());
        }
        for (JsonNode route : routes) {
            if (original.name().equals(route.path("name").asText(null))) {
                return route;
            }
        }
        return MissingNode.getInstance();
    }

    private static ObjectNode routeAt(ObjectNode vs, Route route) {
        return (ObjectNode) vs.path("spec").path(route.kind()).get(route.index());
    }

    /** The routes that send traffic to the host, in order, HTTP first, then TLS, then TCP. */
    private static List<Route> routesTo(JsonNode vs, String host, String namespace) {
        List<Route> routes = new ArrayList<>();
        for (String section : SECTIONS) {
            JsonNode list = vs.path("spec").path(section);
            for (int i = 0; i < list.size(); i++) {
                JsonNode route = list.get(i);
                JsonNode destinations = TesterRoutes.withoutStickyCookie(route.path("route"), host, namespace);
                if (route.isObject() && sendsTo(destinations, host, namespace)) {
                    String name = route.path("name").asText("");
                    routes.add(new Route(section, i, name.isEmpty() ? null : name, route.path("match"), destinations,
                            serinSplit(destinations, host, namespace).isPresent()));
                }
            }
        }
        return RouteRecords.withDistinctNames(routes);
    }

    private static Matching matching(JsonNode vs, String canary, String host, List<Route> routes) {
        String namespace = namespace(vs);
        return RouteRecords.match(routes, RouteRecords.read(JsonAnnotations.entry(vs, ORIGINAL_ROUTES, canary)),
                (original, destinations) -> SplitDestinations.fits(original, destinations, host, namespace));
    }

    /** A route as people find it: {@code http route "main" in VirtualService api}, or by position when unnamed. */
    private static String describe(JsonNode vs, Route route) {
        return route.kind() + " route " + (route.name() != null ? "\"" + route.name() + "\""
                : route.index() + " (unnamed)") + " in VirtualService " + vs.path("metadata").path("name").asText();
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
