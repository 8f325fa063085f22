package dev.serin.traffic.istio;

import dev.serin.traffic.JsonAnnotations;
import static dev.serin.traffic.istio.SubsetNames.CANARY;
import static dev.serin.traffic.istio.SubsetNames.STABLE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Pure functions over a DestinationRule (as JSON): the {@code stable} and {@code canary} subsets a Canary
 * needs. Every other subset and field is kept; subsets Serin added are remembered so a stop removes only those.
 */
public final class DestinationRuleSubsets {
    /** Which subsets each Canary added to the rule (and so may remove). */
    public static final String ADDED_SUBSETS = "serin.dev/added-subsets";

    private DestinationRuleSubsets() {
    }

    /** True when the rule has both subsets selecting the given label values. */
    public static boolean has(JsonNode rule, String label, String stableValue, String canaryValue) {
        return selects(find(rule, STABLE), label, stableValue) && selects(find(rule, CANARY), label, canaryValue);
    }

    /**
     * True when the rule has both subsets selecting the given label values, and the subsets the Canary added carry
     * {@code policy} as their trafficPolicy (none when it is null).
     */
    public static boolean has(JsonNode rule, String canary, String label, String stableValue, String canaryValue,
            JsonNode policy) {
        if (!has(rule, label, stableValue, canaryValue)) {
            return false;
        }
        JsonNode added = JsonAnnotations.entry(rule, ADDED_SUBSETS, canary);
        for (String name : List.of(STABLE, CANARY)) {
            if (added != null && contains(added, name)
                    && !java.util.Objects.equals(find(rule, name).get("trafficPolicy"), policy)) {
                return false;
            }
        }
        return true;
    }

    /** The trafficPolicy of the first of these subsets that has one, or null. */
    public static JsonNode policyOf(JsonNode rule, List<String> subsets) {
        for (String name : subsets) {
            ObjectNode subset = find(rule, name);
            if (subset != null && subset.get("trafficPolicy") instanceof ObjectNode policy) {
                return policy;
            }
        }
        return null;
    }

    public static boolean hasSubset(JsonNode rule, String subset) {
        return find(rule, subset) != null;
    }

    /** A copy with both subsets selecting the given values of the label. */
    public static ObjectNode withSubsets(JsonNode rule, String canary, String label, String stableValue,
            String canaryValue) {
        return withSubsets(rule, canary, label, stableValue, canaryValue, null);
    }

    /**
     * A copy with both subsets selecting the given values of the label; the subsets the Canary added carry
     * {@code policy} (a copy of the trafficPolicy of the subset the routes named before), or none when it is null.
     * A stable or canary subset that was there before keeps its own.
     */
    public static ObjectNode withSubsets(JsonNode rule, String canary, String label, String stableValue,
            String canaryValue, JsonNode policy) {
        ObjectNode copy = rule.deepCopy();
        JsonNode previous = JsonAnnotations.entry(copy, ADDED_SUBSETS, canary);
        ArrayNode added = previous instanceof ArrayNode a ? a.deepCopy() : JsonAnnotations.JSON.createArrayNode();
        for (var wanted : List.of(new String[] {STABLE, stableValue}, new String[] {CANARY, canaryValue})) {
            ObjectNode subset = find(copy, wanted[0]);
            if (subset == null) {
                subset = copy.with("spec").withArray("subsets").addObject().put("name", wanted[0]);
                if (!contains(added, wanted[0])) {
                    added.add(wanted[0]);
                }
            }
            if (!selects(subset, label, wanted[1])) {
                subset.with("labels").put(label, wanted[1]);
            }
            if (contains(added, wanted[0])) {
                if (policy == null) {
                    subset.remove("trafficPolicy");
                } else {
                    subset.set("trafficPolicy", policy.deepCopy());
                }
            }
        }
        JsonAnnotations.putEntry(copy, ADDED_SUBSETS, canary, added.isEmpty() ? null : added);
        return copy;
    }

    /** A copy without the subsets the Canary added. A canary subset it found there is removed too. */
    public static ObjectNode withoutSubsets(JsonNode rule, String canary) {
        ObjectNode copy = rule.deepCopy();
        JsonNode added = JsonAnnotations.entry(copy, ADDED_SUBSETS, canary);
        JsonNode subsets = copy.path("spec").path("subsets");
        if (subsets instanceof ArrayNode list) {
            for (int i = list.size() - 1; i >= 0; i--) {
                String name = list.get(i).path("name").asText();
                if (CANARY.equals(name) || (added != null && contains(added, name))) {
                    list.remove(i);
                }
            }
            if (list.isEmpty() && added != null) {
                ((ObjectNode) copy.get("spec")).remove("subsets"); // it was Serin's list: back to no list at all
            }
        }
        JsonAnnotations.putEntry(copy, ADDED_SUBSETS, canary, null);
        return copy;
    }

    /** The Canaries that added subsets here (and so have some to remove). */
    public static java.util.Set<String> canaries(JsonNode rule) {
        return JsonAnnotations.canaries(rule, ADDED_SUBSETS);
    }

    /** A DestinationRule for the host with no subsets yet, for a Canary whose rule is missing. */
    public static ObjectNode minimal(String apiVersion, String name, String namespace, String host) {
        ObjectNode rule = JsonAnnotations.JSON.createObjectNode();
        rule.put("apiVersion", apiVersion);
        rule.put("kind", "DestinationRule");
        rule.with("metadata").put("name", name).put("namespace", namespace);
        rule.with("spec").put("host", host).withArray("subsets");
        return rule;
    }

    private static ObjectNode find(JsonNode rule, String subset) {
        for (JsonNode s : rule.path("spec").path("subsets")) {
            if (subset.equals(s.path("name").asText()) && s instanceof ObjectNode o) {
                return o;
            }
        }
        return null;
    }

    private static boolean selects(JsonNode subset, String label, String value) {
        return subset != null && value.equals(subset.path("labels").path(label).asText(null));
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode v : array) {
            if (value.equals(v.asText())) {
                return true;
            }
        }
        return false;
    }
}
