package dev.serin.rest;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import dev.serin.strict.rbac.Identity;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.Tokens;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays the API server's authenticator and authoriser for the REST tests' callers, on the strict test API server:
 * the tokens a test declares here are registered with the server, good for the audience {@code serin} as
 * {@code kubectl create token NAME --audience serin} mints them ({@link #apiServerUser} for one good only for the API
 * server, as {@code kubectl create token NAME} mints it), and every SubjectAccessReview Serin sends is answered from the grants
 * a test declares here (on canaries, and on Deployments for a start with containers and a promote). Every review the application sent is kept, newest last.
 */
public final class FakeKubeAuth {
    private static final Map<String, List<String>> USERS = new ConcurrentHashMap<>();
    /** The audience Serin asks TokenReview for by default (serin.api.token-audiences). */
    public static final String SERIN_AUDIENCE = "serin";
    private static final Map<String, Minted> TOKENS = new ConcurrentHashMap<>();
    private static final Set<String> GRANTS = ConcurrentHashMap.newKeySet();
    /** Every review the application sent, newest last. */
    public static final List<TokenReview> tokenReviews = new CopyOnWriteArrayList<>();
    public static final List<SubjectAccessReview> accessReviews = new CopyOnWriteArrayList<>();
    private static volatile Tokens installedOn;
    private static volatile Object mockServer;

    private FakeKubeAuth() {
    }

    public static synchronized void install(StrictApiServer server) {
        if (installedOn == server.tokens()) {
            return;
        }
        use(server.tokens());
        server.accessReviewer(FakeKubeAuth::reviewAccess);
    }

    /**
     * The same on fabric8's plain mock server, for tests that need its expectations: the reviews are answered
     * through expectations (which win over its CRUD store for the paths they name).
     */
    public static synchronized void install(KubernetesServer server) {
        if (mockServer == server.getKubernetesMockServer()) {
            return;
        }
        mockServer = server.getKubernetesMockServer();
        Tokens tokens = new Tokens();
        use(tokens);
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, request ->
                Serialization.asJson(tokens.review(Serialization.unmarshal(request.getBody().readUtf8(), TokenReview.class))))
                .always();
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/subjectaccessreviews").andReply(201, request ->
                Serialization.asJson(reviewAccess(Serialization.unmarshal(request.getBody().readUtf8(),
                        SubjectAccessReview.class))))
                .always();
    }

    private static void use(Tokens tokens) {
        installedOn = tokens;
        TOKENS.forEach(FakeKubeAuth::register);
        tokens.observer(tokenReviews::add);
    }

    private record Minted(String username, String[] audiences) {
    }

    /** A token minted for Serin ({@code --audience serin}): TokenReview accepts it as this user with these groups. */
    public static void user(String token, String username, String... groups) {
        mint(token, username, new String[] {SERIN_AUDIENCE}, groups);
    }

    /** A token minted without an audience: good for the API server itself, not for Serin. */
    public static void apiServerUser(String token, String username, String... groups) {
        mint(token, username, new String[0], groups);
    }

    private static void mint(String token, String username, String[] audiences, String... groups) {
        Minted minted = new Minted(username, audiences);
        TOKENS.put(token, minted);
        USERS.put(username, List.of(groups));
        register(token, minted);
    }

    private static void register(String token, Minted minted) {
        if (installedOn != null) {
            List<String> groups = new ArrayList<>(USERS.get(minted.username()));
            groups.add(Identity.AUTHENTICATED);
            installedOn.register(token, new Identity(minted.username(), groups), minted.audiences());
        }
    }

    private static final String CANARIES = "serin.dev/canaries";
    private static final String DEPLOYMENTS = "apps/deployments";

    /** Lets a user or group ("group:name") perform verbs on canaries in a namespace ("" = cluster-wide, "*" = any). */
    public static void allow(String subject, String namespace, String... verbs) {
        allowOn(CANARIES, subject, namespace, verbs);
    }

    public static void revoke(String subject, String namespace, String... verbs) {
        for (String verb : verbs) {
            GRANTS.remove(key(subject, CANARIES, verb, namespace));
        }
    }

    /** Lets a user or group perform verbs on every Deployment in a namespace ("*" = any). */
    public static void allowDeployments(String subject, String namespace, String... verbs) {
        allowOn(DEPLOYMENTS, subject, namespace, verbs);
    }

    private static void allowOn(String groupResource, String subject, String namespace, String... verbs) {
        for (String verb : verbs) {
            GRANTS.add(key(subject, groupResource, verb, namespace));
        }
    }

    private static String key(String subject, String groupResource, String verb, String namespace) {
        return subject + "|" + groupResource + "|" + verb + "|" + namespace;
    }

    private static final java.util.concurrent.atomic.AtomicReference<Runnable> WHILE_REVIEWING =
            new java.util.concurrent.atomic.AtomicReference<>();

    /**
     * Runs {@code change} inside the next review of a Deployment permission (a start with containers, a promote), before
     * it is answered: what another client does while Serin waits for the answer (on the strict server, write with
     * {@link StrictApiServer#mergePatchInside}: a client's call would wait for the thread answering this review).
     */
    public static void whileReviewingDeployments(Runnable change) {
        WHILE_REVIEWING.set(change);
    }

    private static SubjectAccessReview reviewAccess(SubjectAccessReview review) {
        ResourceAttributes attributes = review.getSpec().getResourceAttributes();
        Runnable change = attributes != null && "deployments".equals(attributes.getResource())
                ? WHILE_REVIEWING.getAndSet(null) : null;
        if (change != null) {
            change.run();
        }
        accessReviews.add(Serialization.clone(review));
        ResourceAttributes ra = review.getSpec().getResourceAttributes();
        String resource = ra == null ? "" : ra.getGroup() + "/" + ra.getResource();
        boolean rightResource = resource.equals(CANARIES) || resource.equals(DEPLOYMENTS);
        String namespace = ra == null || ra.getNamespace() == null ? "" : ra.getNamespace();
        List<String> subjects = new ArrayList<>();
        subjects.add(review.getSpec().getUser());
        if (review.getSpec().getGroups() != null) {
            review.getSpec().getGroups().forEach(g -> subjects.add("group:" + g));
        }
        boolean allowed = rightResource && subjects.stream().anyMatch(s ->
                GRANTS.contains(key(s, resource, ra.getVerb(), namespace)) || GRANTS.contains(key(s, resource, ra.getVerb(), "*")));
        review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed)
                .withReason(allowed ? "granted by test" : "").build());
        return review;
    }
}
