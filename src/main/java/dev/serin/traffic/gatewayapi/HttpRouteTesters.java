package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.traffic.JsonAnnotations;
import dev.serin.traffic.Refusal;
import dev.serin.traffic.RouteRecords;
import dev.serin.traffic.Split;
import dev.serin.traffic.Testers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pure functions for the tester rules Serin adds to an HTTPRoute: right after each rule it splits, one rule
 * whose matches are the split rule's own combined with each tester match, whose other fields (filters, timeouts …) are
 * the split rule's, and whose single backendRef is {@code <name>-canary}. Gateway API ranks rules by how specific their
 * matches are, not by their order: the extra header match is what makes a tester rule win over the rule it came from.
 * The sticky cookie is a {@code set-cookie} added by a {@code ResponseHeaderModifier} filter on the canary backendRef of
 * each split rule (merged into one that is there: the filter type cannot repeat). HTTPRoute rules have no name in
 * every release, so the tester rules' matches and the cookie are recorded in an annotation: the split, the weight
 * read-back and the originals all work on the route {@link #bare} of them.
 */
final class HttpRouteTesters {
    /** Per Canary: {@code {"rules": [<matches of each tester rule>], "setCookie": <value>}}. */
    static final String TESTER_RULES = "serin.dev/tester-rules";
    /** The Valid=False reason when the tester rules would take a route past Gateway API's limits. */
    static final String LIMITS = "TesterRulesExceedLimits";
    static final int MAX_RULES = 16;
    static final int MAX_RULE_MATCHES = 64;
    static final int MAX_ROUTE_MATCHES = 128;
    private static final String RULES = HttpRouteRules.RULES;

    private HttpRouteTesters() {
    }

    /** How many of the route's rules are the Canary's tester rules. */
    static int count(JsonNode route, HostBackends backends) {
        List<JsonNode> recorded = recordedRules(route, backends.canary());
        int count = 0;
        for (JsonNode rule : route.path("spec").path(RULES)) {
            count += isTesterRule(rule, recorded, backends) ? 1 : 0;
        }
        return count;
    }

    /** A copy without the Canary's tester rules, its sticky cookie and their record: the split alone. */
    static ObjectNode bare(JsonNode route, HostBackends backends) {
        ObjectNode copy = route.deepCopy();
        JsonNode entry = JsonAnnotations.entry(copy, TESTER_RULES, backends.canary());
        if (entry == null) {
            return copy;
        }
        List<JsonNode> recorded = recordedRules(copy, backends.canary());
        JsonNode rules = copy.path("spec").path(RULES);
        if (rules instanceof ArrayNode list) {
            for (int i = list.size() - 1; i >= 0; i--) {
                if (isTesterRule(list.get(i), recorded, backends)) {
                    list.remove(i);
                }
            }
            String cookie = entry.path("setCookie").asText(null);
            if (cookie != null) {
                list.forEach(rule -> rule.path("backendRefs").forEach(ref -> {
                    if (isCanaryRef(ref, backends)) {
                        StickyCookieFilter.remove((ObjectNode) ref, cookie);
                    }
                }));
            }
        }
        JsonAnnotations.putEntry(copy, TESTER_RULES, backends.canary(), null);
        return copy;
    }

    /**
     * Adds the testers beside the split rules at {@code splitRules} (positions in {@code route}, which has none yet):
     * the sticky cookie on their canary backendRefs, a tester rule right after each, and the record. Right after its
     * rule, not at the end: its place then depends on nothing else (another Canary's tester rules, a rule added
     * later), so writing it again changes nothing.
     */
    static void add(ObjectNode route, List<Integer> splitRules, HostBackends backends, Testers testers, Split split) {
        List<Testers.Match> matches = testers.matchesFor(split);
        String cookie = testers.setsCookie(split) ? testers.sticky().setCookie() : null;
        ArrayNode list = (ArrayNode) route.path("spec").path(RULES);
        ArrayNode recorded = JsonAnnotations.JSON.createArrayNode();
        // from the last: inserting right after a rule leaves the positions before it as they are
        for (int index : splitRules.stream().sorted(java.util.Comparator.reverseOrder()).toList()) {
            ObjectNode rule = (ObjectNode) list.get(index);
            ArrayNode combined = combined(rule.path("matches"), matches);
            List<ArrayNode> perRule = new ArrayList<>();
            if (!combined.isEmpty() && rewritesPrefix(rule)) {
                // the CRD's CEL: a rule replacing the matched prefix must have exactly one (PathPrefix) match
                combined.forEach(m -> perRule.add(JsonAnnotations.JSON.createArrayNode().add(m.deepCopy())));
            } else if (!combined.isEmpty()) {
                perRule.add(combined);
            }
            for (int i = perRule.size() - 1; i >= 0; i--) {
                list.insert(index + 1, testerRule(rule, perRule.get(i), backends));
                recorded.insert(0, perRule.get(i).deepCopy());
            }
            if (cookie != null) {
                rule.path("backendRefs").forEach(ref -> {
                    if (isCanaryRef(ref, backends)) {
                        StickyCookieFilter.add((ObjectNode) ref, cookie);
                    }
                });
            }
        }
        if (!recorded.isEmpty() || cookie != null) {
            ObjectNode entry = JsonAnnotations.JSON.createObjectNode();
            entry.set("rules", recorded);
            if (cookie != null) {
                entry.put("setCookie", cookie);
            }
            JsonAnnotations.putEntry(route, TESTER_RULES, backends.canary(), entry);
        }
    }

    /**
     * The split rule's matches (a rule without any: the match the API server fills in, PathPrefix /), each with each
     * tester's header condition added, every default written out so the API server stores them as sent. A match that
     * already has a condition on the tester's header is left out of that combination: Gateway API considers only
     * the first of two conditions on one header name (and its schema refuses them).
     */
    static ArrayNode combined(JsonNode ruleMatches, List<Testers.Match> testers) {
        ArrayNode result = JsonAnnotations.JSON.createArrayNode();
        List<JsonNode> own = new ArrayList<>();
        if (ruleMatches.isArray() && !ruleMatches.isEmpty()) {
            ruleMatches.forEach(own::add);
        } else {
            own.add(JsonAnnotations.JSON.createObjectNode());
        }
        for (JsonNode m : own) {
            for (Testers.Match t : testers) {
                if (hasHeader(m, t.header())) {
                    continue;
                }
                ObjectNode copy = withDefaults(m);
                ObjectNode header = copy.withArray("headers").addObject();
                header.put("name", t.header());
                header.put("type", t.regex() ? "RegularExpression" : "Exact");
                header.put("value", t.value());
                result.add(copy);
            }
        }
        return result;
    }

    /**
     * Why the route cannot be written as it is: past 16 rules, 64 matches in a rule or 128 in the route (the HTTPRoute
     * schema's maxItems and CEL; a rule without matches counts one, the API server fills it in).
     */
    static Optional<Refusal> limits(JsonNode route) {
        String name = "HTTPRoute " + route.path("metadata").path("name").asText();
        JsonNode rules = route.path("spec").path(RULES);
        if (rules.size() > MAX_RULES) {
            return Optional.of(new Refusal(LIMITS, name + " would have " + rules.size() + " rules with the tester rules,"
                    + " past Gateway API's limit of " + MAX_RULES + " rules per route; nothing written"));
        }
        int total = 0;
        for (int i = 0; i < rules.size(); i++) {
            int matches = Math.max(1, rules.get(i).path("matches").size());
            if (matches > MAX_RULE_MATCHES) {
                return Optional.of(new Refusal(LIMITS, name + " would have " + matches + " matches in rule " + i
                        + " with the tester matches, past Gateway API's limit of " + MAX_RULE_MATCHES
                        + " matches per rule; nothing written"));
            }
            total += matches;
        }
        if (total > MAX_ROUTE_MATCHES) {
            return Optional.of(new Refusal(LIMITS, name + " would have " + total + " matches with the tester rules,"
                    + " past Gateway API's limit of " + MAX_ROUTE_MATCHES + " matches per route; nothing written"));
        }
        return Optional.empty();
    }

    private static ObjectNode testerRule(ObjectNode split, ArrayNode matches, HostBackends backends) {
        ObjectNode rule = JsonAnnotations.JSON.createObjectNode();
        rule.set("matches", matches);
        split.fields().forEachRemaining(field -> {
            if (!List.of("name", "matches", "backendRefs").contains(field.getKey())) {
                rule.set(field.getKey(), field.getValue().deepCopy());
            }
        });
        ObjectNode ref = null;
        for (JsonNode r : split.path("backendRefs")) {
            if (ref == null && backends.isHost(r)) {
                ref = ((ObjectNode) r).deepCopy();
            }
        }
        ref.put("group", ref.path("group").asText(""));
        ref.put("kind", ref.path("kind").asText("Service"));
        ref.put("name", backends.canaryService());
        ref.put("weight", 1);
        rule.withArray("backendRefs").add(ref);
        return rule;
    }

    /** The rule, or one of its backendRefs, has a filter replacing the matched path prefix (URLRewrite, redirect). */
    private static boolean rewritesPrefix(JsonNode rule) {
        List<JsonNode> filters = new ArrayList<>();
        rule.path("filters").forEach(filters::add);
        rule.path("backendRefs").forEach(ref -> ref.path("filters").forEach(filters::add));
        for (JsonNode f : filters) {
            for (String type : List.of("urlRewrite", "requestRedirect")) {
                if ("ReplacePrefixMatch".equals(f.path(type).path("path").path("type").asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A tester rule of the Canary: one backendRef, to {@code <name>-canary}, and matches as recorded. */
    private static boolean isTesterRule(JsonNode rule, List<JsonNode> recorded, HostBackends backends) {
        JsonNode refs = rule.path("backendRefs");
        if (recorded.isEmpty() || refs.size() != 1 || !isCanaryRef(refs.get(0), backends)) {
            return false;
        }
        ArrayNode matches = JsonAnnotations.JSON.createArrayNode();
        rule.path("matches").forEach(m -> matches.add(withDefaults(m)));
        return recorded.stream().anyMatch(r -> RouteRecords.same(r, matches));
    }

    private static List<JsonNode> recordedRules(JsonNode route, String canary) {
        JsonNode entry = JsonAnnotations.entry(route, TESTER_RULES, canary);
        List<JsonNode> rules = new ArrayList<>();
        if (entry != null) {
            entry.path("rules").forEach(rules::add);
        }
        return rules;
    }

    private static boolean isCanaryRef(JsonNode ref, HostBackends backends) {
        return backends.isHost(ref) && backends.canaryService().equals(ref.path("name").asText(""));
    }

    private static boolean hasHeader(JsonNode match, String header) {
        for (JsonNode h : match.path("headers")) {
            if (h.path("name").asText("").equalsIgnoreCase(header)) {
                return true;
            }
        }
        return false;
    }

    /** A match with the defaults the API server fills in written out: path PathPrefix /, header and query type Exact. */
    private static ObjectNode withDefaults(JsonNode match) {
        ObjectNode copy = match.isObject() ? ((ObjectNode) match).deepCopy() : JsonAnnotations.JSON.createObjectNode();
        ObjectNode path = copy.with("path");
        path.put("type", path.path("type").asText("PathPrefix"));
        path.put("value", path.path("value").asText("/"));
        for (String list : List.of("headers", "queryParams")) {
            for (JsonNode item : copy.path(list)) {
                if (item instanceof ObjectNode o && !o.has("type")) {
                    o.put("type", "Exact");
                }
            }
        }
        return copy;
    }
}
