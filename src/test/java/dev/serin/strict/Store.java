package dev.serin.strict;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * fabric8's CRUD store (objects, resourceVersions, generations, finalizers, watches), driven only with requests the
 * strict dispatcher has already judged and completed: every write reaching it is a whole object.
 */
final class Store {
    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();

    /** Reads and watches go through unchanged. */
    MockResponse read(RecordedRequest request) {
        return crud.dispatch(request);
    }

    Optional<JsonNode> get(String objectPath) {
        MockResponse response = crud.handleGet(objectPath);
        if (response.code() != 200 || response.getBody() == null) {
            return Optional.empty();
        }
        return Optional.of(parse(response.getBody().readUtf8()));
    }

    MockResponse create(String collectionPath, JsonNode object) {
        return crud.handleCreate(request(HttpMethod.POST, collectionPath, object.toString()));
    }

    /** Stores a whole object (on the status path, only its status), locked to the resourceVersion it carries. */
    MockResponse replace(String path, JsonNode object) {
        return crud.handleUpdate(request(HttpMethod.PUT, path, object.toString()));
    }

    MockResponse delete(String objectPath) {
        return crud.handleDelete(objectPath);
    }

    /** Every stored object. */
    List<JsonNode> all() {
        List<JsonNode> result = new ArrayList<>();
        synchronized (crud.getMap()) {
            crud.getMap().values().forEach(json -> result.add(parse(json)));
        }
        return result;
    }

    private static RecordedRequest request(HttpMethod method, String path, String body) {
        return new RecordedRequest("HTTP/1.1", method, path,
                Headers.builder().add("Content-Type", "application/json").build(),
                new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    static JsonNode parse(String json) {
        try {
            return KubeStatus.JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
