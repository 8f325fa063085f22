package dev.serin.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * metadata.managedFields as the real server keeps them, without field-level detail: one entry per manager,
 * operation and subresource, stamped with the time of that manager's last write that changed the object.
 */
public final class ManagedFields {
    private ManagedFields() {
    }

    /**
     * The manager of a request: the {@code fieldManager} query parameter, else the User-Agent up to its first "/"
     * (as kube-apiserver derives it; fabric8's "fabric8-kubernetes-client/7.5.2" gives "fabric8-kubernetes-client").
     */
    public static String manager(String fieldManagerParameter, String userAgent) {
        if (fieldManagerParameter != null && !fieldManagerParameter.isEmpty()) {
            return fieldManagerParameter;
        }
        if (userAgent == null || userAgent.isEmpty()) {
            return "unknown";
        }
        int slash = userAgent.indexOf('/');
        return slash < 0 ? userAgent : userAgent.substring(0, slash);
    }

    /** Records the write in {@code object}'s metadata, keeping the entries {@code previous} had. */
    public static void record(ObjectNode object, JsonNode previous, String manager, String operation,
            String subresource, Instant now) {
        ArrayNode entries = KubeStatus.JSON.createArrayNode();
        JsonNode before = previous == null ? null : previous.path("metadata").path("managedFields");
        if (before != null && before.isArray()) {
            for (JsonNode entry : before) {
                if (!(manager.equals(entry.path("manager").asText()) && operation.equals(entry.path("operation").asText())
                        && subresource.equals(entry.path("subresource").asText("")))) {
                    entries.add(entry);
                }
            }
        }
        ObjectNode entry = entries.addObject().put("manager", manager).put("operation", operation)
                .put("apiVersion", object.path("apiVersion").asText())
                .put("time", now.truncatedTo(ChronoUnit.SECONDS).toString()).put("fieldsType", "FieldsV1");
        entry.putObject("fieldsV1");
        if (!subresource.isEmpty()) {
            entry.put("subresource", subresource);
        }
        ((ObjectNode) object.with("metadata")).set("managedFields", entries);
    }
}
