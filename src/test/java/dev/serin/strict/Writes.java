package dev.serin.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.strict.rbac.RequestAttributes;
import io.fabric8.mockwebserver.http.MockResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Creates and replaces objects as the real server does before it stores them: the namespace must exist, the
 * resourceVersion a write carries must be the current one (409 otherwise, on every path including /status), the
 * status subresource owns status (and only status), a write that changes nothing stores nothing, the object must
 * pass admission (422 naming each field), metadata.managedFields records who wrote, and a Secret's stringData is
 * stored as data ({@link Secrets}).
 */
final class Writes {
    private static final String STATUS = "status";

    private final Store store;
    private final Policies.Admission admission;
    private final Clock clock;

    Writes(Store store, Policies.Admission admission, Clock clock) {
        this.store = store;
        this.admission = admission;
        this.clock = clock;
    }

    MockResponse create(ApiCatalog.Served served, RequestAttributes request, JsonNode body, String manager) {
        ObjectNode object = body.deepCopy();
        ObjectNode metadata = object.with("metadata");
        if (served.namespaced()) {
            if (!metadata.has("namespace")) {
                metadata.put("namespace", request.namespace());
            }
            if (store.get("/api/v1/namespaces/" + request.namespace()).isEmpty()) {
                throw KubeStatus.notFound("", "namespaces", request.namespace());
            }
        }
        String name = metadata.path("name").asText();
        String collection = ApiCatalog.collectionPath(served, request.namespace());
        if (!name.isEmpty() && store.get(collection + "/" + name).isPresent()) {
            throw KubeStatus.alreadyExists(served.group(), served.plural(), name);
        }
        if (served.statusSubresource()) {
            object.remove(STATUS); // the status subresource owns status: a create cannot set it
        }
        List.of("resourceVersion", "uid", "creationTimestamp", "deletionTimestamp", "generation").forEach(metadata::remove);
        Secrets.normalize(served, object);
        admit(served, object, null);
        ManagedFields.record(object, null, manager, "Update", "", clock.instant());
        return store.create(collection, object);
    }

    /**
     * Stores {@code wanted}, the object as the request would have it (a PUT's body, or the result of a patch), on
     * the object's path or its status subresource.
     */
    MockResponse replace(ApiCatalog.Served served, RequestAttributes request, JsonNode current, JsonNode wanted,
            String manager, String operation) {
        String name = request.name();
        String sent = wanted.path("metadata").path("resourceVersion").asText("");
        String now = current.path("metadata").path("resourceVersion").asText();
        if (!sent.isEmpty() && !sent.equals(now)) {
            throw KubeStatus.conflict(served.group(), served.plural(), name);
        }
        boolean statusWrite = STATUS.equals(request.subresource());
        ObjectNode next;
        if (statusWrite) {
            next = current.deepCopy();
            setOrRemove(next, STATUS, wanted.get(STATUS));
        } else {
            next = wanted.deepCopy();
            if (served.statusSubresource()) {
                setOrRemove(next, STATUS, current.get(STATUS));
            }
            keepServerOwnedMetadata(next, current);
            Secrets.normalize(served, next);
        }
        if (withoutBookkeeping(next).equals(withoutBookkeeping(current))) {
            return KubeStatus.json(200, current); // a no-op write keeps the resourceVersion and sends no watch event
        }
        admit(served, next, current);
        ManagedFields.record(next, current, manager, operation, statusWrite ? STATUS : "", clock.instant());
        next.with("metadata").put("resourceVersion", now);
        String objectPath = ApiCatalog.collectionPath(served, request.namespace()) + "/" + name;
        return store.replace(objectPath, next);
    }

    private void admit(ApiCatalog.Served served, JsonNode object, JsonNode old) {
        List<KubeStatus.Cause> causes = admission.check(served, object, old);
        if (!causes.isEmpty()) {
            throw KubeStatus.invalid(served.kind(), served.group(),
                    object.path("metadata").path("name").asText(), causes);
        }
    }

    /** uid, creation time, deletion time and generation are the server's; a client cannot change them. */
    private static void keepServerOwnedMetadata(ObjectNode next, JsonNode current) {
        ObjectNode metadata = next.with("metadata");
        for (String field : List.of("uid", "creationTimestamp", "deletionTimestamp", "generation", "namespace")) {
            Optional.ofNullable(current.path("metadata").get(field)).ifPresentOrElse(
                    value -> metadata.set(field, value), () -> metadata.remove(field));
        }
        if (!metadata.has("managedFields")) {
            Optional.ofNullable(current.path("metadata").get("managedFields")).ifPresent(v -> metadata.set("managedFields", v));
        }
    }

    private static JsonNode withoutBookkeeping(JsonNode object) {
        ObjectNode copy = object.deepCopy();
        ObjectNode metadata = copy.with("metadata");
        metadata.remove("resourceVersion");
        metadata.remove("managedFields");
        metadata.remove("generation");
        return copy;
    }

    private static void setOrRemove(ObjectNode object, String field, JsonNode value) {
        if (value == null || value.isMissingNode()) {
            object.remove(field);
        } else {
            object.set(field, value);
        }
    }
}
