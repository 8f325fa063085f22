package dev.serin.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.List;

/** The {@code Status} bodies a real API server answers with, in its words. */
public final class KubeStatus {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A refusal: thrown inside the dispatcher, answered as its Status. */
    public static final class Refusal extends RuntimeException {
        final transient MockResponse response;

        Refusal(MockResponse response, String message) {
            super(message);
            this.response = response;
        }
    }

    /** One field a validation refused. */
    public record Cause(String field, String reason, String message) {
    }

    private KubeStatus() {
    }

    /** {@code canaries.serin.dev} or {@code deployments.apps}, or just {@code namespaces} for the core group. */
    static String qualified(String resource, String group) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    static Refusal unauthorized() {
        return refusal(401, "Unauthorized", "Unauthorized", null);
    }

    static Refusal forbidden(String message, String group, String resource, String name) {
        return refusal(403, "Forbidden", message, details(name, group, resource));
    }

    static Refusal notFound(String group, String resource, String name) {
        return refusal(404, "NotFound", qualified(resource, group) + " \"" + name + "\" not found",
                details(name, group, resource));
    }

    static Refusal noSuchResource() {
        return refusal(404, "NotFound", "the server could not find the requested resource", null);
    }

    static Refusal conflict(String group, String resource, String name) {
        return refusal(409, "Conflict", "Operation cannot be fulfilled on " + qualified(resource, group) + " \"" + name
                + "\": the object has been modified; please apply your changes to the latest version and try again",
                details(name, group, resource));
    }

    static Refusal alreadyExists(String group, String resource, String name) {
        return refusal(409, "AlreadyExists", qualified(resource, group) + " \"" + name + "\" already exists",
                details(name, group, resource));
    }

    static Refusal badRequest(String message) {
        return refusal(400, "BadRequest", message, null);
    }

    /** 422 as the real server words it: {@code Kind.group "name" is invalid: [field: message, ...]}. */
    static Refusal invalid(String kind, String group, String name, List<Cause> causes) {
        String qualifiedKind = group == null || group.isEmpty() ? kind : kind + "." + group;
        List<String> parts = causes.stream().map(c -> c.field() + ": " + c.message()).toList();
        String message = qualifiedKind + " \"" + name + "\" is invalid: "
                + (parts.size() == 1 ? parts.get(0) : "[" + String.join(", ", parts) + "]");
        ObjectNode details = JSON.createObjectNode().put("name", name).put("group", group == null ? "" : group)
                .put("kind", kind);
        ArrayNode list = details.putArray("causes");
        causes.forEach(c -> list.addObject().put("reason", c.reason()).put("message", c.message()).put("field", c.field()));
        return refusal(422, "Invalid", message, details);
    }

    static MockResponse internalError(String message) {
        return response(500, "InternalError", message, null);
    }

    private static ObjectNode details(String name, String group, String resource) {
        if (resource == null) {
            return null;
        }
        ObjectNode details = JSON.createObjectNode();
        if (name != null) {
            details.put("name", name);
        }
        return details.put("group", group == null ? "" : group).put("kind", resource);
    }

    private static Refusal refusal(int code, String reason, String message, JsonNode details) {
        return new Refusal(response(code, reason, message, details), message);
    }

    private static MockResponse response(int code, String reason, String message, JsonNode details) {
        ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", message).put("reason", reason);
        if (details != null) {
            status.set("details", details);
        }
        status.put("code", code);
        return json(code, status);
    }

    static MockResponse json(int code, JsonNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }
}
