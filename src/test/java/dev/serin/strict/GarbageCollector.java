package dev.serin.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * Plays Kubernetes' garbage collector for the three deletion propagation policies, as it behaves on a real cluster:
 * Background removes the dependents (objects whose ownerReferences name the owner's uid) once the owner is gone;
 * Foreground removes them at once, before the owner's own finalizers have run (the real collector wins that race
 * against any controller); Orphan strips the ownerReferences and leaves the dependents in place.
 */
final class GarbageCollector {
    private final Store store;
    private final ApiCatalog catalog;

    GarbageCollector(Store store, ApiCatalog catalog) {
        this.store = store;
        this.catalog = catalog;
    }

    /** Deletes every dependent of {@code uid}, and theirs in turn once they are gone. */
    void deleteDependents(String uid) {
        for (JsonNode dependent : dependents(uid)) {
            path(dependent).ifPresent(path -> {
                store.delete(path);
                if (store.get(path).isEmpty()) {
                    deleteDependents(dependent.path("metadata").path("uid").asText());
                }
            });
        }
    }

    /** Removes the ownerReferences that name {@code uid} from every dependent. */
    void orphan(String uid) {
        for (JsonNode dependent : dependents(uid)) {
            ObjectNode copy = dependent.deepCopy();
            ArrayNode kept = KubeStatus.JSON.createArrayNode();
            dependent.path("metadata").path("ownerReferences").forEach(ref -> {
                if (!uid.equals(ref.path("uid").asText())) {
                    kept.add(ref);
                }
            });
            ObjectNode metadata = (ObjectNode) copy.get("metadata");
            if (kept.isEmpty()) {
                metadata.remove("ownerReferences");
            } else {
                metadata.set("ownerReferences", kept);
            }
            path(dependent).ifPresent(path -> store.replace(path, copy));
        }
    }

    List<JsonNode> dependents(String uid) {
        return store.all().stream()
                .filter(o -> {
                    for (JsonNode ref : o.path("metadata").path("ownerReferences")) {
                        if (uid.equals(ref.path("uid").asText())) {
                            return true;
                        }
                    }
                    return false;
                })
                .toList();
    }

    private Optional<String> path(JsonNode object) {
        JsonNode metadata = object.path("metadata");
        return catalog.byKind(object.path("apiVersion").asText(), object.path("kind").asText())
                .map(served -> ApiCatalog.collectionPath(served, metadata.path("namespace").asText()) + "/"
                        + metadata.path("name").asText());
    }
}
