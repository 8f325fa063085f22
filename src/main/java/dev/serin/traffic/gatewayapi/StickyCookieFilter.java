package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sticky cookie on a {@code <name>-canary} backendRef: a {@code set-cookie} added by its
 * {@code ResponseHeaderModifier} filter, merged into the one the backendRef has (a filter type cannot repeat there).
 */
final class StickyCookieFilter {
    static final String SET_COOKIE = "set-cookie";
    private static final String RESPONSE_MODIFIER = "ResponseHeaderModifier";

    private StickyCookieFilter() {
    }

    /** Adds the set-cookie to the backendRef's ResponseHeaderModifier filter, made when it has none. */
    static void add(ObjectNode ref, String cookie) {
        ObjectNode modifier = null;
        for (JsonNode f : ref.path("filters")) {
            if (RESPONSE_MODIFIER.equals(f.path("type").asText()) && f instanceof ObjectNode o) {
                modifier = o.with("responseHeaderModifier");
            }
        }
        if (modifier == null) {
            ObjectNode filter = ref.withArray("filters").addObject();
            filter.put("type", RESPONSE_MODIFIER);
            modifier = filter.putObject("responseHeaderModifier");
        }
        ObjectNode header = modifier.withArray("add").addObject();
        header.put("name", SET_COOKIE);
        header.put("value", cookie);
    }

    /** Takes Serin's cookie out, and the filter objects that only held it. */
    static void remove(ObjectNode ref, String cookie) {
        JsonNode filters = ref.path("filters");
        if (!(filters instanceof ArrayNode list)) {
            return;
        }
        for (int i = list.size() - 1; i >= 0; i--) {
            JsonNode f = list.get(i);
            if (!RESPONSE_MODIFIER.equals(f.path("type").asText())) {
                continue;
            }
            if (!(f.path("responseHeaderModifier") instanceof ObjectNode modifier)) {
                continue;
            }
            if (modifier.path("add") instanceof ArrayNode add) {
                for (int j = add.size() - 1; j >= 0; j--) {
                    if (SET_COOKIE.equalsIgnoreCase(add.get(j).path("name").asText())
                            && cookie.equals(add.get(j).path("value").asText())) {
                        add.remove(j);
                    }
                }
                if (add.isEmpty()) {
                    modifier.remove("add");
                }
            }
            if (modifier.isEmpty()) {
                list.remove(i);
            }
        }
        if (list.isEmpty()) {
            ref.remove("filters");
        }
    }
}
