package dev.serin.traffic.istio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.serin.traffic.JsonAnnotations;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When Serin last changed a Canary's subsets (on the DestinationRule) or routes (on each VirtualService), written in
 * the same update as the change, so a restarted Serin or a new leader still waits for it to settle.
 */
final class ChangeStamps {
    static final String SUBSETS_CHANGED_AT = "serin.dev/subsets-changed-at";
    static final String ROUTES_CHANGED_AT = "serin.dev/routes-changed-at";

    private ChangeStamps() {
    }

    static void stamp(ObjectNode resource, String annotation, String canary, Instant at) {
        JsonAnnotations.putEntry(resource, annotation, canary, TextNode.valueOf(at.toString()));
    }

    static void clear(ObjectNode resource, String annotation, String canary) {
        JsonAnnotations.putEntry(resource, annotation, canary, null);
    }

    static Optional<Instant> read(JsonNode resource, String annotation, String canary) {
        JsonNode value = JsonAnnotations.entry(resource, annotation, canary);
        if (value == null || !value.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty(); // mangled by hand: as if absent
        }
    }
}
