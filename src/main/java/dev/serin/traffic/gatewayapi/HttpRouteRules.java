package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.serin.traffic.JsonAnnotations;
import dev.serin.traffic.Outcome;
import dev.serin.traffic.RouteRecords;
import dev.serin.traffic.RouteRecords.Matching;
import dev.serin.traffic.RouteRecords.Route;
import dev.serin.traffic.Refusal;
import dev.serin.traffic.Split;
import dev.serin.traffic.Testers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pure functions over an HTTPRoute (as JSON): read the split a host gets, write a split, restore the backendRefs the
 * rules had before. Only the {@code backendRefs} of rules that send traffic to the host change; names, matches,
 * filters, timeouts, parentRefs, hostnames and every other rule are left as they were. Which original belongs to which
 * rule is decided by {@link RouteRecords} (a rule is known by its {@code name} where it has one, else by its
 * {@code matches} and content), and recorded in the same annotations a VirtualService carries.
 */
public final class HttpRouteRules {
    /** The backendRefs each split rule had before Serin touched it, keyed by Canary, then by rule. */
    public static final String ORIGINAL_ROUTES = "serin.dev/original-routes";
    /** The host each Canary splits here, so a Canary that is gone can still be stopped from this object alone. */
    public static final String CANARY_HOSTS = "serin.dev/canary-hosts";
    /** When Serin last changed the Canary's rules here, so a restarted Serin still waits for them to settle. */
    public static final String ROUTES_CHANGED_AT = "serin.dev/routes-changed-at";
    static final String RULES = "rules";

    private HttpRouteRules() {
    }

    /**
     * What the rules to one host carry now: how many there are, how many carry a split, the splits of those whose
     * original is known, and the split rules no recorded original fits (with their splits and names for people).
     */
    public record Observation(int rules, int splitRules, List<Split> splits, List<Split> unmatchedSplits,
            List<String> unmatched) {
    }

    public static Observation observe(JsonNode withTesters, String canary, String host) {
        JsonNode route = withoutTesters(withTesters, canary, host);
        HostBackends backends = backends(route, canary, host);
        List<Route> rules = rulesTo(route, backends);
        Matching matching = matching(route, backends, rules);
        List<Split> splits = new ArrayList<>();
        List<Split> unmatchedSplits = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        for (Route rule : rules) {
            if (rule.split()) {
                Split split = backends.serinSplit(rule.destinations()).orElseThrow();
                if (matching.originals().containsKey(rule)) {
                    splits.add(split);
                } else {
                    unmatchedSplits.add(split);
                    unmatched.add(describe(route, rule));
                }
            }
        }
        return new Observation(rules.size(), splits.size() + unmatchedSplits.size(), splits, unmatchedSplits,
                unmatched);
    }

    /**
     * A copy whose every rule to {@code host} sends the host's share to the Canary's stable and canary Services in the
     * given ratio, remembering the backendRefs each rule had first. A split rule no recorded original fits is left as
     * it is, except that a split without canary takes the canary out of it too. Refused, with nothing written, when a
     * rule's weights would pass 1,000,000.
     */
    public static Outcome<ObjectNode> withSplit(JsonNode route, String canary, String host, Split split) {
        return withSplit(route, canary, host, split, Testers.NONE);
    }

    /**
     * {@link #withSplit(JsonNode, String, String, Split)} with the testers' rules beside every split rule (none: the
     * tester rules go) and the sticky cookie on its canary backendRef ({@link HttpRouteTesters}). Refused
     * ({@link HttpRouteTesters#LIMITS}) when they would take the route past Gateway API's limits.
     */
    public static Outcome<ObjectNode> withSplit(JsonNode withTesters, String canary, String host, Split split,
            Testers testers) {
        ObjectNode copy = withoutTesters(withTesters, canary, host);
        JsonNode route = withTesters;
        HostBackends backends = backends(copy, canary, host);
        List<Route> rules = rulesTo(copy, backends);
        Matching matching = matching(copy, backends, rules);
        Map<Route, JsonNode> originals = new LinkedHashMap<>();
        for (Route rule : rules) {
            // an unsplit rule's backendRefs are the latest intent of whoever owns it
            JsonNode original = rule.split() ? matching.originals().get(rule) : rule.destinations();
            if (original == null) {
                if (split.canary() == 0) { // taking the canary out of a rule is safe whatever its original was
                    ruleAt(copy, rule).set("backendRefs",
                            backends.split(backends.unsplit(rule.destinations()), split).orElseThrow());
                }
                continue;
            }
            // from the original, not from the split: weights scaled for one split do not grow with the next
            Outcome<ArrayNode> refs = backends.split(original, split);
            if (refs.refused()) {
                return Outcome.refused(refs.refusal().reason(), describe(route, rule) + ": " + refs.refusal().message());
            }
            originals.put(rule, original);
            ruleAt(copy, rule).set("backendRefs", refs.value());
        }
        ObjectNode entry = RouteRecords.write(originals, matching.unclaimed());
        JsonAnnotations.putEntry(copy, ORIGINAL_ROUTES, canary, entry.isEmpty() ? null : entry);
        JsonAnnotations.putEntry(copy, CANARY_HOSTS, canary, entry.isEmpty() ? null : TextNode.valueOf(host));
        HttpRouteTesters.add(copy, originals.keySet().stream().map(Route::index).toList(), backends, testers, split);
        Optional<Refusal> past = testers.isEmpty() ? Optional.empty() : HttpRouteTesters.limits(copy);
        if (past.isPresent()) {
            return Outcome.refused(past.get().reason(), past.get().message());
        }
        return Outcome.of(copy);
    }

    /** The route without the Canary's tester rules and sticky cookie: the user's rules, split or not. */
    public static ObjectNode withoutTesters(JsonNode route, String canary, String host) {
        return HttpRouteTesters.bare(route, backends(route, canary, host));
    }

    /** How many tester rules of the Canary the route has. */
    public static int testerRules(JsonNode route, String canary, String host) {
        return HttpRouteTesters.count(route, backends(route, canary, host));
    }

    /**
     * Why the route cannot carry these testers beside a split that sends users to the canary (the most it carries:
     * the sticky match too), if it cannot: Gateway API's limits on rules and matches.
     */
    public static Optional<Refusal> testerLimits(JsonNode route, String canary, String host, Testers testers) {
        if (testers.isEmpty()) {
            return Optional.empty();
        }
        Outcome<ObjectNode> written = withSplit(route, canary, host, new Split(1, 1), testers);
        return written.refused() && HttpRouteTesters.LIMITS.equals(written.refusal().reason())
                ? Optional.of(written.refusal()) : Optional.empty();
    }

    /**
     * A copy whose rules split by Serin have the backendRefs they had before, without the Canary's bookkeeping: the
     * spec byte for byte as it was when nobody else changed it. A split rule whose original is unknown gets the
     * host's own Service in place of the Canary's two (its other backends kept), since those Services go next.
     */
    public static ObjectNode restored(JsonNode route, String canary, String host) {
        ObjectNode copy = withoutTesters(route, canary, host);
        HostBackends backends = backends(copy, canary, host);
        List<Route> rules = rulesTo(copy, backends);
        Matching matching = matching(copy, backends, rules);
        for (Route rule : rules) {
            if (rule.split()) {
                JsonNode original = matching.originals().get(rule);
                ruleAt(copy, rule).set("backendRefs", original != null ? original.deepCopy()
                        : backends.unsplit(rule.destinations()));
            }
        }
        JsonAnnotations.putEntry(copy, ORIGINAL_ROUTES, canary, null);
        JsonAnnotations.putEntry(copy, CANARY_HOSTS, canary, null);
        JsonAnnotations.putEntry(copy, ROUTES_CHANGED_AT, canary, null);
        return copy;
    }

    /**
     * True when every rule to the host is split by Serin and writing {@code split} would change none of them: the
     * rules carry that split as Serin writes it (their other backends included).
     */
    public static boolean carries(JsonNode route, String canary, String host, Split split) {
        return carries(route, canary, host, split, Testers.NONE);
    }

    /** {@link #carries(JsonNode, String, String, Split)}, the testers' rules and sticky cookie as given included. */
    public static boolean carries(JsonNode route, String canary, String host, Split split, Testers testers) {
        Observation seen = observe(route, canary, host);
        Outcome<ObjectNode> written = withSplit(route, canary, host, split, testers);
        return seen.rules() > 0 && seen.splitRules() == seen.rules() && !written.refused()
                && RouteRecords.same(written.value().path("spec"), route.path("spec"));
    }

    /** True when some rule names the host's own Service (not the Canary's two) with a weight. */
    public static boolean namesUserService(JsonNode route, String canary, String host) {
        HostBackends backends = backends(route, canary, host);
        for (JsonNode rule : route.path("spec").path(RULES)) {
            for (JsonNode ref : rule.path("backendRefs")) {
                if (backends.isUserService(ref) && HostBackends.weight(ref) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The Canaries that split rules here (and so have originals to restore). */
    public static Set<String> canaries(JsonNode route) {
        Set<String> names = JsonAnnotations.canaries(route, ORIGINAL_ROUTES);
        names.addAll(JsonAnnotations.canaries(route, CANARY_HOSTS));
        return names;
    }

    /** The host the Canary splits here, without the Canary; null when the route does not say. */
    public static String splitHost(JsonNode route, String canary) {
        JsonNode recorded = JsonAnnotations.entry(route, CANARY_HOSTS, canary);
        return recorded != null && recorded.isTextual() ? recorded.asText() : null;
    }

    private static ObjectNode ruleAt(ObjectNode route, Route rule) {
        return (ObjectNode) route.path("spec").path(RULES).get(rule.index());
    }

    /** The rules that send traffic to the host, in order. */
    private static List<Route> rulesTo(JsonNode route, HostBackends backends) {
        List<Route> rules = new ArrayList<>();
        JsonNode list = route.path("spec").path(RULES);
        for (int i = 0; i < list.size(); i++) {
            JsonNode rule = list.get(i);
            JsonNode refs = rule.path("backendRefs");
            if (rule.isObject() && backends.sendsTo(refs)) {
                String name = rule.path("name").asText("");
                rules.add(new Route(RULES, i, name.isEmpty() ? null : name, rule.path("matches"), refs,
                        backends.serinSplit(refs).isPresent()));
            }
        }
        return RouteRecords.withDistinctNames(rules);
    }

    private static Matching matching(JsonNode route, HostBackends backends, List<Route> rules) {
        return RouteRecords.match(rules,
                RouteRecords.read(JsonAnnotations.entry(route, ORIGINAL_ROUTES, backends.canary())),
                backends::fits);
    }

    private static HostBackends backends(JsonNode route, String canary, String host) {
        return HostBackends.of(route.path("metadata").path("namespace").asText("default"), host, canary);
    }

    /** A rule as people find it: {@code rule "main" in HTTPRoute api}, or by position when unnamed. */
    static String describe(JsonNode route, Route rule) {
        return "rule " + (rule.name() != null ? "\"" + rule.name() + "\"" : rule.index() + " (unnamed)")
                + " in HTTPRoute " + route.path("metadata").path("name").asText();
    }
}
