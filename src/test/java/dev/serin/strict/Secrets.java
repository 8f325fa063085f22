package dev.serin.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * What the real server does to a Secret before storing it: {@code stringData} is write-only, merged into {@code data}
 * base64-encoded (its keys win) and never stored; a {@code data} value that is not base64 is refused (400), as the
 * API server's decoding of []byte refuses it.
 */
final class Secrets {
    private Secrets() {
    }

    static void normalize(ApiCatalog.Served served, ObjectNode secret) {
        if (!served.group().isEmpty() || !"Secret".equals(served.kind())) {
            return;
        }
        ObjectNode data = secret.with("data");
        for (Iterator<Map.Entry<String, JsonNode>> it = data.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                Base64.getDecoder().decode(e.getValue().asText());
            } catch (IllegalArgumentException bad) {
                throw KubeStatus.badRequest("Secret in version \"v1\" cannot be handled as a Secret: illegal base64"
                        + " data in data." + e.getKey());
            }
        }
        JsonNode plain = secret.remove("stringData");
        if (plain != null && plain.isObject()) {
            plain.fields().forEachRemaining(e -> data.put(e.getKey(),
                    Base64.getEncoder().encodeToString(e.getValue().asText().getBytes(StandardCharsets.UTF_8))));
        }
        if (data.isEmpty()) {
            secret.remove("data");
        }
    }
}
