package dev.serin.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;

/**
 * Serin's bookkeeping kept on the routing objects themselves, one JSON object per annotation keyed by
 * Canary name, so several Canaries can share an object and a restart finds everything it needs.
 */
public final class JsonAnnotations {
    public static final ObjectMapper JSON = new ObjectMapper();

    private JsonAnnotations() {
    }

    /** The Canary's entry in a JSON annotation, or null. */
    public static JsonNode entry(JsonNode resource, String annotation, String canary) {
        JsonNode text = resource.path("metadata").path("annotations").path(annotation);
        if (!text.isTextual()) {
            return null;
        }
        try {
            JsonNode map = JSON.readTree(text.asText());
            JsonNode value = map.get(canary);
            return value == null || value.isNull() ? null : value;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null; // somebody mangled it: behave as if it were absent
        }
    }

    /** The Canaries that have an entry in a JSON annotation. */
    public static java.util.Set<String> canaries(JsonNode resource, String annotation) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        JsonNode text = resource.path("metadata").path("annotations").path(annotation);
        if (text.isTextual()) {
            try {
                JSON.readTree(text.asText()).fieldNames().forEachRemaining(names::add);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // somebody mangled it: behave as if it were absent
            }
        }
        return names;
    }

    /** Sets (or, with a null value, removes) the Canary's entry; drops the annotation when it empties. */
    public static void putEntry(ObjectNode resource, String annotation, String canary, JsonNode value) {
        ObjectNode metadata = resource.with("metadata");
        JsonNode annotations = metadata.get("annotations");
        ObjectNode map = JSON.createObjectNode();
        if (annotations != null && annotations.path(annotation).isTextual()) {
            try {
                JsonNode parsed = JSON.readTree(annotations.get(annotation).asText());
                if (parsed.isObject()) {
                    map = (ObjectNode) parsed;
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // replaced below
            }
        }
        if (value == null) {
            map.remove(canary);
        } else {
            map.set(canary, value);
        }
        if (map.isEmpty()) {
            if (annotations instanceof ObjectNode a) {
                a.remove(annotation);
                if (a.isEmpty()) {
                    metadata.remove("annotations");
                }
            }
            return;
        }
        try {
            metadata.with("annotations").put(annotation, JSON.writeValueAsString(map));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
