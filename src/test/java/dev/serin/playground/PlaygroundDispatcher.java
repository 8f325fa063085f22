package dev.serin.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's CRUD dispatcher with what kubectl needs on top: discovery and version documents, an empty OpenAPI v2
 * document (so {@code kubectl apply} validates nothing client-side instead of failing), JSON merge and strategic
 * merge patches applied properly (see {@link Patches}), an approximate server-side apply, the deployments/scale
 * subresource, {@code Status} bodies on 404s, and a JSON content type on every JSON answer.
 */
public final class PlaygroundDispatcher extends Dispatcher {
    static final String JSON_PATCH = "application/json-patch+json";
    private static final Pattern GROUP_VERSION = Pattern.compile("/apis/([^/]+)/([^/]+)");
    private static final Pattern SCALE = Pattern.compile("(/apis/apps/v1/namespaces/[^/]+/deployments/[^/]+)/scale");
    private static final Pattern NAMED = Pattern.compile("(.*/namespaces/[^/]+/[^/]+|/apis?(?:/[^/]+)+/[^/]+)/([^/]+)");
    private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final YAMLMapper YAML = new YAMLMapper();

    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    /** Serializes writes, so a patch's read-modify-write sees no other write in between. */
    private final ReentrantLock writes = new ReentrantLock();
    private volatile String serverAddress = "localhost";

    void serverAddress(String hostPort) {
        this.serverAddress = hostPort;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse response;
        try {
            response = route(request);
        } catch (RuntimeException e) {
            response = status(500, "InternalError", e.toString());
        }
        if (response.getWebSocketListener() == null && response.getBody() != null && response.getBody().size() > 0
                && response.header("Content-Type") == null) {
            response.setHeader("Content-Type", "application/json");
        }
        return response;
    }

    private MockResponse route(RecordedRequest request) {
        String full = request.getPath();
        int q = full.indexOf('?');
        String path = q < 0 ? full : full.substring(0, q);
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        HttpMethod method = request.method();
        if (method == HttpMethod.GET) {
            Optional<MockResponse> meta = metadata(path);
            if (meta.isPresent()) {
                return meta.get();
            }
        }
        Matcher scale = SCALE.matcher(path);
        if (scale.matches()) {
            return scale(method, scale.group(1), request);
        }
        if (method == HttpMethod.GET) {
            return notFoundStatus(crud.dispatch(request), path);
        }
        writes.lock();
        try {
            if (method == HttpMethod.PATCH) {
                return patch(request, path);
            }
            return notFoundStatus(crud.dispatch(withoutFieldManager(request)), path);
        } finally {
            writes.unlock();
        }
    }

    // ---------------------------------------------------------------- discovery, version, openapi

    private Optional<MockResponse> metadata(String path) {
        switch (path) {
            case "/":
                return Optional.of(json(200, rootPaths()));
            case "/version":
                return Optional.of(json(200, Discovery.version()));
            case "/healthz", "/livez", "/readyz":
                return Optional.of(new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain")
                        .setBody("ok"));
            case "/api":
                return Optional.of(json(200, Discovery.apiVersions(serverAddress)));
            case "/apis":
                return Optional.of(json(200, Discovery.groupList(groupVersions())));
            case "/api/v1":
                return Discovery.resourceList(groupVersions(), "v1").map(r -> json(200, r));
            case "/openapi/v2":
                // an empty protobuf Document: kubectl finds no schema, so it skips client-side validation
                return Optional.of(new MockResponse().setResponseCode(200)
                        .setHeader("Content-Type", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
                        .setBody(new byte[0]));
            case "/openapi/v3":
                return Optional.of(status(404, "NotFound", "the playground serves no OpenAPI v3 document"));
            default:
                Matcher gv = GROUP_VERSION.matcher(path);
                if (gv.matches()) {
                    String groupVersion = gv.group(1) + "/" + gv.group(2);
                    return Optional.of(Discovery.resourceList(groupVersions(), groupVersion).map(r -> json(200, r))
                            .orElseGet(() -> status(404, "NotFound", "no group version " + groupVersion)));
                }
                return Optional.empty();
        }
    }

    private JsonNode rootPaths() {
        ObjectNode root = Discovery.JSON.createObjectNode();
        ArrayNode paths = root.putArray("paths");
        paths.add("/api").add("/api/v1").add("/apis").add("/healthz").add("/openapi/v2").add("/version");
        groupVersions().keySet().stream().filter(gv -> gv.contains("/")).forEach(gv -> paths.add("/apis/" + gv));
        return root;
    }

    private Map<String, List<Discovery.Resource>> groupVersions() {
        return Discovery.groupVersions(customResourceDefinitions());
    }

    List<JsonNode> customResourceDefinitions() {
        List<JsonNode> result = new ArrayList<>();
        MockResponse list = crud.handleGet(CRDS);
        if (list.code() == 200 && list.getBody() != null) {
            read(list.getBody().readUtf8()).path("items").forEach(result::add);
        }
        return result;
    }

    // ---------------------------------------------------------------- patches

    private MockResponse patch(RecordedRequest request, String path) {
        String contentType = Optional.ofNullable(request.getHeader("Content-Type")).orElse(JSON_PATCH);
        String body = request.getBody().readUtf8();
        if (contentType.startsWith(JSON_PATCH)) {
            return notFoundStatus(crud.handlePatch(copy(request, JSON_PATCH, body)), path);
        }
        MockResponse current = crud.handleGet(path);
        boolean apply = contentType.startsWith("application/apply-patch");
        if (current.code() != 200) {
            if (apply) {
                return createFromApply(request, path, body);
            }
            return notFoundStatus(current, path);
        }
        JsonNode object = read(current.getBody().readUtf8());
        JsonNode merged;
        if (contentType.startsWith("application/merge-patch+json")) {
            merged = Patches.mergePatch(object, read(body));
        } else if (contentType.startsWith("application/strategic-merge-patch+json")) {
            merged = Patches.strategicMergePatch(object, read(body));
        } else if (apply) {
            JsonNode manifest = readYaml(body);
            merged = path.startsWith("/apis/") && !path.startsWith("/apis/apps/")
                    ? Patches.mergePatch(object, manifest)
                    : Patches.strategicMergePatch(object, manifest);
        } else {
            return status(415, "UnsupportedMediaType", "unsupported patch type " + contentType);
        }
        JsonNode ops = JsonDiff.asJson(object, merged, DiffFlags.dontNormalizeOpIntoMoveAndCopy());
        return notFoundStatus(crud.handlePatch(copy(request, JSON_PATCH, ops.toString())), path);
    }

    /** Server-side apply of an absent object: a create in the collection. */
    private MockResponse createFromApply(RecordedRequest request, String path, String body) {
        Matcher named = NAMED.matcher(path);
        if (!named.matches()) {
            return status(404, "NotFound", "cannot apply to " + path);
        }
        JsonNode manifest = readYaml(body);
        RecordedRequest create = new RecordedRequest("HTTP/1.1", HttpMethod.POST, named.group(1),
                Headers.builder().add("Content-Type", "application/json").build(),
                new Buffer(manifest.toString().getBytes(StandardCharsets.UTF_8)));
        return crud.handleCreate(create);
    }

    // ---------------------------------------------------------------- deployments/scale

    private MockResponse scale(HttpMethod method, String deploymentPath, RecordedRequest request) {
        writes.lock();
        try {
            MockResponse current = crud.handleGet(deploymentPath);
            if (current.code() != 200) {
                return notFoundStatus(current, deploymentPath);
            }
            JsonNode deployment = read(current.getBody().readUtf8());
            if (method == HttpMethod.GET) {
                return json(200, toScale(deployment));
            }
            JsonNode wanted;
            String body = request.getBody().readUtf8();
            if (method == HttpMethod.PUT) {
                wanted = read(body);
            } else if (method == HttpMethod.PATCH) {
                String contentType = Optional.ofNullable(request.getHeader("Content-Type")).orElse("");
                wanted = contentType.startsWith(JSON_PATCH)
                        ? io.fabric8.zjsonpatch.JsonPatch.apply(read(body), toScale(deployment))
                        : Patches.mergePatch(toScale(deployment), read(body));
            } else {
                return status(405, "MethodNotAllowed", method + " on scale");
            }
            int replicas = wanted.path("spec").path("replicas").asInt(deployment.path("spec").path("replicas").asInt(1));
            String ops = "[{\"op\":\"add\",\"path\":\"/spec/replicas\",\"value\":" + replicas + "}]";
            RecordedRequest patch = new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, deploymentPath,
                    Headers.builder().add("Content-Type", JSON_PATCH).build(),
                    new Buffer(ops.getBytes(StandardCharsets.UTF_8)));
            MockResponse patched = crud.handlePatch(patch);
            if (patched.code() / 100 != 2) {
                return patched;
            }
            return json(200, toScale(read(patched.getBody().readUtf8())));
        } finally {
            writes.unlock();
        }
    }

    private static JsonNode toScale(JsonNode deployment) {
        ObjectNode scale = Discovery.JSON.createObjectNode().put("apiVersion", "autoscaling/v1").put("kind", "Scale");
        JsonNode meta = deployment.path("metadata");
        ObjectNode m = scale.putObject("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (meta.has(f)) {
                m.set(f, meta.get(f));
            }
        }
        scale.putObject("spec").put("replicas", deployment.path("spec").path("replicas").asInt(1));
        StringBuilder selector = new StringBuilder();
        deployment.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(e -> {
            selector.append(selector.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue().asText());
        });
        scale.putObject("status").put("replicas", deployment.path("status").path("replicas").asInt(0))
                .put("selector", selector.toString());
        return scale;
    }

    // ---------------------------------------------------------------- helpers

    private static RecordedRequest copy(RecordedRequest original, String contentType, String body) {
        Headers headers = original.getHeaders().newBuilder().set("Content-Type", contentType).build();
        return new RecordedRequest(original.getHttpVersion(), original.method(), original.getPath(), headers,
                new Buffer(body.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The request without {@code fieldManager=} (the playground keeps no managedFields): fabric8's CRUD dispatcher
     * matches {@code /status} on the whole path, query included, and would take a status write for a main-resource
     * write that keeps the old status.
     */
    static RecordedRequest withoutFieldManager(RecordedRequest original) {
        String full = original.getPath();
        int q = full.indexOf('?');
        if (q < 0 || !full.contains("fieldManager=")) {
            return original;
        }
        String query = java.util.Arrays.stream(full.substring(q + 1).split("&"))
                .filter(p -> !p.startsWith("fieldManager=")).collect(java.util.stream.Collectors.joining("&"));
        String path = full.substring(0, q) + (query.isEmpty() ? "" : "?" + query);
        return new RecordedRequest(original.getHttpVersion(), original.method(), path, original.getHeaders(),
                original.getBody());
    }

    /** A 404 with an empty body becomes a Kubernetes Status, so kubectl can say what was not found. */
    private static MockResponse notFoundStatus(MockResponse response, String path) {
        if (response.code() == 404 && (response.getBody() == null || response.getBody().size() == 0)) {
            Matcher named = NAMED.matcher(path);
            String what = named.matches() ? named.group(1).substring(named.group(1).lastIndexOf('/') + 1)
                    + " \"" + named.group(2) + "\"" : path;
            return status(404, "NotFound", what + " not found");
        }
        return response;
    }

    static MockResponse status(int code, String reason, String message) {
        ObjectNode s = Discovery.JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        s.putObject("metadata");
        s.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        return json(code, s);
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    private static JsonNode read(String json) {
        try {
            return Discovery.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    private static JsonNode readYaml(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new IllegalArgumentException("not YAML: " + e.getMessage(), e);
        }
    }
}
