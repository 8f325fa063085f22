package dev.serin.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.playground.Discovery;
import dev.serin.playground.Patches;
import dev.serin.strict.rbac.Identity;
import dev.serin.strict.rbac.RequestAttributes;
import dev.serin.strict.validation.FieldError;
import dev.serin.strict.validation.TimeFields;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * An API server that refuses what a real one refuses: every request is authenticated by its bearer token (401),
 * authorised ({@link Policies.Access}, 403), routed only to what is served (404), decoded as the real server decodes
 * built-in kinds (times: {@link TimeFields}, 400 or 422), and every write is checked ({@link Writes}, 409 and 422)
 * before fabric8's CRUD store keeps it; deletions follow their propagation policy
 * ({@link GarbageCollector}). TokenReviews are answered from {@link Tokens}; SubjectAccessReviews by a pluggable
 * reviewer.
 */
final class StrictDispatcher extends Dispatcher {
    private static final java.util.Set<String> BUILT_IN_GROUPS = TimeFields.BUILT_IN_GROUPS;
    private final Store store = new Store();
    private final ReentrantLock writes = new ReentrantLock();
    private final ApiCatalog catalog;
    private final Tokens tokens;
    private final Policies.Access access;
    private final Policies.Defaulting defaulting;
    private final Writes objectWrites;
    private final GarbageCollector collector;
    private final Faults faults = new Faults();
    private final Written written = new Written();
    private final WatchLag watchLag = new WatchLag();
    private final List<Refused> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile UnaryOperator<SubjectAccessReview> accessReviewer = StrictDispatcher::denyReview;
    // objects to delete just before Serin's next update or patch of them is handled (each once)
    private final java.util.Set<String> deleteBeforeSerinsNextWrite = java.util.concurrent.ConcurrentHashMap.newKeySet();

    StrictDispatcher(ApiCatalog catalog, Tokens tokens, Policies.Access access, Policies.Defaulting defaulting,
            Policies.Admission admission, Clock clock) {
        this.catalog = catalog;
        this.tokens = tokens;
        this.access = access;
        this.defaulting = defaulting;
        this.objectWrites = new Writes(store, admission, clock);
        this.collector = new GarbageCollector(store, catalog);
    }

    void accessReviewer(UnaryOperator<SubjectAccessReview> reviewer) {
        this.accessReviewer = reviewer;
    }

    Faults faults() {
        return faults;
    }

    Store store() {
        return store;
    }

    Written written() {
        return written;
    }

    /** Deletes the object at {@code objectPath} just before Serin's next update or patch of it is handled. */
    void deleteBeforeSerinsNextWrite(String objectPath) {
        deleteBeforeSerinsNextWrite.add(objectPath);
    }

    WatchLag watchLag() {
        return watchLag;
    }

    /** A write the server answered with an error. */
    record Refused(String user, String verb, String resource, String namespace, String name, int code) {
    }

    List<Refused> refused() {
        return List.copyOf(refused);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse response;
        try {
            response = handle(request);
        } catch (KubeStatus.Refusal refusal) {
            response = refusal.response;
        } catch (RuntimeException e) {
            response = KubeStatus.internalError(e.toString());
        }
        if (response.code() >= 400 && !List.of("GET", "HEAD").contains(request.method().name())) {
            noteRefused(request, response.code());
        }
        return response;
    }

    private void noteRefused(RecordedRequest request, int code) {
        try {
            RequestAttributes a = RequestAttributes.of(request.method().name(), request.getPath());
            String user = tokens.authenticate(request.getHeader("Authorization")).map(Identity::user).orElse("");
            refused.add(new Refused(user, a.verb(), a.subresource() == null ? a.resource()
                    : a.resource() + "/" + a.subresource(), a.namespace(), a.name(), code));
        } catch (RuntimeException e) {
            // a request too malformed to name is no write of anyone's
        }
    }

    private MockResponse handle(RecordedRequest request) {
        Identity who = tokens.authenticate(request.getHeader("Authorization")).orElseThrow(KubeStatus::unauthorized);
        String method = request.method().name();
        RequestAttributes attributes = RequestAttributes.of(method, request.getPath());
        access.deny(who, attributes).ifPresent(message -> {
            throw KubeStatus.forbidden(message, attributes.apiGroup(), attributes.resource(), attributes.name());
        });
        if (!attributes.isResourceRequest()) {
            return discovery(attributes.nonResourcePath());
        }
        ApiCatalog.Served served = catalog.served(attributes.apiGroup(), attributes.apiVersion(), attributes.resource())
                .orElseThrow(KubeStatus::noSuchResource);
        if (served.plural().equals("tokenreviews")) {
            TokenReview review = Serialization.unmarshal(request.getBody().readUtf8(), TokenReview.class);
            return KubeStatus.json(201, Store.parse(Serialization.asJson(tokens.review(review))));
        }
        if (served.plural().equals("subjectaccessreviews")) {
            SubjectAccessReview review = Serialization.unmarshal(request.getBody().readUtf8(), SubjectAccessReview.class);
            return KubeStatus.json(201, Store.parse(Serialization.asJson(accessReviewer.apply(review))));
        }
        switch (attributes.verb()) {
            case "watch":
                return watchLag.wrap(attributes.resource(), store.read(request));
            case "get", "list":
                return store.read(request);
            default:
                break;
        }
        faults.check(who, attributes, served, request.getBody() == null ? null : request.getBody().getBytes());
        writes.lock();
        try {
            String objectPath = ApiCatalog.collectionPath(served, attributes.namespace()) + "/" + attributes.name();
            if (who.equals(Identity.SERIN) && List.of("update", "patch").contains(attributes.verb())
                    && deleteBeforeSerinsNextWrite.remove(objectPath)) {
                store.delete(objectPath); // another client's delete, between Serin's cache read and its write
            }
            return write(who, served, attributes, request);
        } finally {
            writes.unlock();
        }
    }

    private MockResponse write(Identity who, ApiCatalog.Served served, RequestAttributes attributes,
            RecordedRequest request) {
        String manager = ManagedFields.manager(queryParameter(request.getPath(), "fieldManager"),
                request.getHeader("User-Agent"));
        if (attributes.verb().equals("create")) {
            return logged(who, attributes, "",
                    objectWrites.create(served, attributes,
                            defaulting.apply(served, decodeBody(served, request.getBody().readUtf8()), null), manager));
        }
        String objectPath = ApiCatalog.collectionPath(served, attributes.namespace()) + "/" + attributes.name();
        JsonNode current = store.get(objectPath)
                .orElseThrow(() -> KubeStatus.notFound(served.group(), served.plural(), attributes.name()));
        String uid = current.path("metadata").path("uid").asText();
        MockResponse response = switch (attributes.verb()) {
            case "update" -> objectWrites.replace(served, attributes, current,
                    defaulting.apply(served, decodeBody(served, request.getBody().readUtf8()), current), manager, "Update");
            case "patch" -> patch(served, attributes, current, request, manager);
            case "delete" -> delete(served, attributes, objectPath, current, request);
            default -> throw KubeStatus.badRequest("unsupported verb " + attributes.verb());
        };
        if (store.get(objectPath).isEmpty()) {
            collector.deleteDependents(uid); // background propagation: dependents follow an owner that is gone
        }
        return logged(who, attributes, current.path("metadata").path("resourceVersion").asText(), response);
    }

    /** Logs a write that stored something; a write that changed nothing answers with the version it found. */
    private MockResponse logged(Identity who, RequestAttributes attributes, String versionBefore, MockResponse response) {
        if (response.code() >= 300 || response.getBody() == null) {
            return response;
        }
        // getBytes, not readUtf8: reading empties the buffer the client is still to receive
        JsonNode object = Store.parse(new String(response.getBody().getBytes(), StandardCharsets.UTF_8));
        if (attributes.verb().equals("delete")
                || !versionBefore.equals(object.path("metadata").path("resourceVersion").asText())) {
            written.add(new Written.Write(who.user(), attributes.verb(), attributes.resource(), attributes.subresource(),
                    attributes.namespace(), object.path("metadata").path("name").asText(), object));
        }
        return response;
    }

    private MockResponse patch(ApiCatalog.Served served, RequestAttributes attributes, JsonNode current,
            RecordedRequest request, String manager) {
        String contentType = Optional.ofNullable(request.getHeader("Content-Type")).orElse("");
        JsonNode body = Store.parse(request.getBody().readUtf8());
        JsonNode patched;
        String operation = "Update";
        if (contentType.startsWith("application/json-patch+json")) {
            try {
                patched = JsonPatch.apply(body, current);
            } catch (JsonPatchException e) {
                throw KubeStatus.invalid(served.kind(), served.group(), attributes.name(),
                        List.of(new KubeStatus.Cause("", "FieldValueInvalid",
                                "the server rejected our request due to an error in our request: " + e.getMessage())));
            }
        } else if (contentType.startsWith("application/merge-patch+json")) {
            patched = Patches.mergePatch(current, body);
        } else if (contentType.startsWith("application/strategic-merge-patch+json") && BUILT_IN_GROUPS.contains(served.group())) {
            patched = Patches.strategicMergePatch(current, body); // custom resources have no strategic merge (415)
        } else if (contentType.startsWith("application/apply-patch")) {
            patched = Patches.mergePatch(current, body); // server-side apply, approximated: Serin does not use it
            operation = "Apply";
        } else {
            throw new KubeStatus.Refusal(KubeStatus.json(415, unsupportedMediaType(contentType)), contentType);
        }
        return objectWrites.replace(served, attributes, current,
                defaulting.apply(served, decodePatched(served, patched), current), manager, operation);
    }

    /**
     * A create's or update's body decoded as the real server decodes it into its Go type: a time it cannot parse is a
     * 400 worded as handlers/rest.go's transformDecodeError words it.
     */
    private static JsonNode decodeBody(ApiCatalog.Served served, String body) {
        JsonNode object = Store.parse(body);
        try {
            return TimeFields.decode(served.group(), served.kind(), object);
        } catch (TimeFields.Undecodable e) {
            String kind = object.path("kind").asText("");
            if (kind.isEmpty()) {
                String summary = body.length() > 30 ? body.substring(0, 30) + " ..." : body;
                throw KubeStatus.badRequest("the object provided is unrecognized (must be of type " + served.kind()
                        + "): " + e.getMessage() + " (" + summary + ")");
            }
            String apiVersion = object.path("apiVersion").asText("");
            String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
            throw KubeStatus.badRequest(kind + " in version \"" + version + "\" cannot be handled as a " + served.kind()
                    + ": " + e.getMessage());
        }
    }

    /** A patched object that does not decode is a 422 on the field "patch" (handlers/patch.go, applyPatchToCurrentObject). */
    private static JsonNode decodePatched(ApiCatalog.Served served, JsonNode patched) {
        try {
            return TimeFields.decode(served.group(), served.kind(), patched);
        } catch (TimeFields.Undecodable e) {
            FieldError error = FieldError.invalid("patch", patched.toString(), e.getMessage());
            throw KubeStatus.invalid("", "", "", List.of(new KubeStatus.Cause(error.field(), error.type(), error.message())));
        }
    }

    private MockResponse delete(ApiCatalog.Served served, RequestAttributes attributes, String objectPath,
            JsonNode current, RecordedRequest request) {
        String uid = current.path("metadata").path("uid").asText();
        String body = request.getBody() == null ? "" : request.getBody().readUtf8();
        JsonNode options = body.isBlank() ? KubeStatus.JSON.createObjectNode() : Store.parse(body);
        String policy = Optional.ofNullable(queryParameter(request.getPath(), "propagationPolicy"))
                .orElseGet(() -> options.path("propagationPolicy").asText("Background"));
        // DeleteOptions.preconditions: delete only the version (or object) the client names
        String version = options.path("preconditions").path("resourceVersion").asText("");
        String preconditionUid = options.path("preconditions").path("uid").asText("");
        if (!version.isEmpty() && !version.equals(current.path("metadata").path("resourceVersion").asText())
                || !preconditionUid.isEmpty() && !preconditionUid.equals(uid)) {
            throw KubeStatus.conflict(served.group(), served.plural(), attributes.name());
        }
        if (policy.equals("Foreground")) {
            collector.deleteDependents(uid); // the real garbage collector removes them before any finalizer runs
        } else if (policy.equals("Orphan")) {
            collector.orphan(uid);
        }
        return store.delete(objectPath);
    }

    private MockResponse discovery(String path) {
        var groupVersions = catalog.groupVersions();
        if (path.equals("/version")) {
            return KubeStatus.json(200, Discovery.version());
        }
        if (path.equals("/api")) {
            return KubeStatus.json(200, Discovery.apiVersions("localhost"));
        }
        if (path.equals("/apis")) {
            return KubeStatus.json(200, Discovery.groupList(groupVersions));
        }
        if (path.equals("/api/v1")) {
            return Discovery.resourceList(groupVersions, "v1").map(r -> KubeStatus.json(200, r))
                    .orElseThrow(KubeStatus::noSuchResource);
        }
        String[] parts = path.substring(1).split("/");
        if (parts.length == 2 && parts[0].equals("apis")) {
            for (JsonNode group : Discovery.groupList(groupVersions).path("groups")) {
                if (group.path("name").asText().equals(parts[1])) {
                    ObjectNode doc = group.deepCopy();
                    doc.put("kind", "APIGroup").put("apiVersion", "v1");
                    return KubeStatus.json(200, doc);
                }
            }
        }
        if (parts.length == 3 && parts[0].equals("apis")) {
            return Discovery.resourceList(groupVersions, parts[1] + "/" + parts[2]).map(r -> KubeStatus.json(200, r))
                    .orElseThrow(KubeStatus::noSuchResource);
        }
        throw KubeStatus.noSuchResource();
    }

    private static JsonNode unsupportedMediaType(String contentType) {
        return KubeStatus.JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1").put("status", "Failure")
                .put("message", "the body of the request was in an unknown format - accepted media types include: "
                        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
                .put("reason", "UnsupportedMediaType").put("code", 415);
    }

    private static SubjectAccessReview denyReview(SubjectAccessReview review) {
        review.setStatus(new io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder()
                .withAllowed(false).withReason("no access reviewer installed in this test").build());
        return review;
    }

    static String queryParameter(String pathWithQuery, String name) {
        int q = pathWithQuery.indexOf('?');
        if (q < 0) {
            return null;
        }
        for (String pair : pathWithQuery.substring(q + 1).split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
