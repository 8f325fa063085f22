package dev.serin.rest;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Plays the API server's authenticator and authoriser in fabric8's mock server.
 *
 * <p>In CRUD mode the mock server dispatches with KubernetesMixedDispatcher: a request whose method and path
 * match an expectation (with responses left) gets that expectation's response, everything else goes to the
 * CRUD store. So {@code expect().post().withPath(".../tokenreviews").andReply(200, provider).always()} answers
 * every TokenReview, while Canaries, Namespaces and Events still use CRUD. The provider reads the review the
 * application sent and answers from the tokens and grants a test declared here: real HTTP round trips, with
 * the answer decided per request. Expectations live as long as the mock server, so they are installed once per
 * server.
 */
public final class FakeKubeAuth {
    public static final String TOKEN_REVIEWS = "/apis/authentication.k8s.io/v1/tokenreviews";
    public static final String ACCESS_REVIEWS = "/apis/authorization.k8s.io/v1/subjectaccessreviews";

    private static final Map<String, List<String>> USERS = new ConcurrentHashMap<>();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static final Set<String> GRANTS = ConcurrentHashMap.newKeySet();
    /** Every review the application sent, newest last. */
    public static final List<TokenReview> tokenReviews = new CopyOnWriteArrayList<>();
    public static final List<SubjectAccessReview> accessReviews = new CopyOnWriteArrayList<>();
    private static volatile Object installedOn;

    private FakeKubeAuth() {
    }

    public static synchronized void install(KubernetesServer server) {
        if (installedOn == server.getKubernetesMockServer()) {
            return;
        }
        server.expect().post().withPath(TOKEN_REVIEWS).andReply(200, FakeKubeAuth::reviewToken).always();
        server.expect().post().withPath(ACCESS_REVIEWS).andReply(200, FakeKubeAuth::reviewAccess).always();
        installedOn = server.getKubernetesMockServer();
    }

    /** A token the API server accepts as this user with these groups. */
    public static void user(String token, String username, String... groups) {
        TOKENS.put(token, username);
        USERS.put(username, List.of(groups));
    }

    /** Lets a user or group ("group:name") perform verbs on canaries in a namespace ("" = cluster-wide). */
    public static void allow(String subject, String namespace, String... verbs) {
        for (String verb : verbs) {
            GRANTS.add(subject + "|" + verb + "|" + namespace);
        }
    }

    public static void revoke(String subject, String namespace, String... verbs) {
        for (String verb : verbs) {
            GRANTS.remove(subject + "|" + verb + "|" + namespace);
        }
    }

    private static Object reviewToken(RecordedRequest request) {
        TokenReview review = Serialization.unmarshal(request.getBody().readUtf8(), TokenReview.class);
        tokenReviews.add(review);
        String username = TOKENS.get(review.getSpec().getToken());
        if (username == null) {
            review.setStatus(new TokenReviewStatusBuilder().withAuthenticated(false).withError("invalid bearer token").build());
        } else {
            review.setStatus(new TokenReviewStatusBuilder().withAuthenticated(true)
                    .withUser(new UserInfoBuilder().withUsername(username).withUid("uid-" + username)
                            .withGroups(USERS.get(username)).build())
                    .build());
        }
        return Serialization.asJson(review);
    }

    private static Object reviewAccess(RecordedRequest request) {
        SubjectAccessReview review = Serialization.unmarshal(request.getBody().readUtf8(), SubjectAccessReview.class);
        accessReviews.add(review);
        ResourceAttributes ra = review.getSpec().getResourceAttributes();
        boolean rightResource = ra != null && "serin.dev".equals(ra.getGroup()) && "canaries".equals(ra.getResource());
        String namespace = ra == null || ra.getNamespace() == null ? "" : ra.getNamespace();
        List<String> subjects = new ArrayList<>();
        subjects.add(review.getSpec().getUser());
        if (review.getSpec().getGroups() != null) {
            review.getSpec().getGroups().forEach(g -> subjects.add("group:" + g));
        }
        boolean allowed = rightResource && subjects.stream().anyMatch(s ->
                GRANTS.contains(s + "|" + ra.getVerb() + "|" + namespace) || GRANTS.contains(s + "|" + ra.getVerb() + "|*"));
        review.setStatus(new SubjectAccessReviewStatusBuilder().withAllowed(allowed)
                .withReason(allowed ? "granted by test" : "").build());
        return Serialization.asJson(review);
    }
}
