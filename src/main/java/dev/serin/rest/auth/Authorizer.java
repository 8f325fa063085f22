package dev.serin.rest.auth;

import dev.serin.api.v1alpha1.Canary;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Decides whether a bearer token may perform a verb on canaries.serin.dev in a namespace, by asking the
 * Kubernetes API server: a TokenReview for who the caller is (asking for serin.api.token-audiences, default
 * {@code serin}; a token whose review does not name one of them in status.audiences is refused), then a SubjectAccessReview for that user and
 * groups. Decisions are cached briefly (serin.api.auth-cache-ttl, at most 30 s), keyed by a SHA-256 of the
 * token, the verb and the namespace; the token itself is never stored. Failures to reach the API server are
 * not cached and surface as {@link ReviewUnavailableException}.
 */
@ApplicationScoped
public class Authorizer {
    static final Duration MAX_TTL = Duration.ofSeconds(30);
    private static final int MAX_ENTRIES = 10_000;
    private static final Logger LOG = Logger.getLogger(Authorizer.class);

    private final KubernetesClient client;
    private final Clock clock;
    private final Duration ttl;
    private final List<String> audiences;
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();

    @Inject
    public Authorizer(KubernetesClient client, Clock clock,
            @ConfigProperty(name = "serin.api.auth-cache-ttl", defaultValue = "5S") Duration ttl,
            @ConfigProperty(name = "serin.api.token-audiences", defaultValue = "serin") List<String> audiences) {
        this.client = client;
        this.clock = clock;
        this.audiences = List.copyOf(audiences);
        this.ttl = ttl.isNegative() ? Duration.ZERO : ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl;
    }

    /** @param namespace "" for a cluster-wide request */
    public Decision decide(String token, String verb, String namespace) {
        if (token == null || token.isBlank()) {
            return new Decision.Unauthenticated("No bearer token");
        }
        Key key = new Key(sha256(token), verb, namespace == null ? "" : namespace);
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.decision();
        }
        Decision decision = review(token, verb, key.namespace());
        if (!ttl.isZero()) {
            if (cache.size() >= MAX_ENTRIES) {
                cache.entrySet().removeIf(e -> !now.isBefore(e.getValue().expires()));
                if (cache.size() >= MAX_ENTRIES) {
                    cache.clear();
                }
            }
            cache.put(key, new Cached(decision, now.plus(ttl)));
        }
        return decision;
    }

    private Decision review(String token, String verb, String namespace) {
        TokenReview tokenReview;
        try {
            tokenReview = client.authentication().v1().tokenReviews().create(new TokenReviewBuilder()
                    .withNewSpec().withToken(token).withAudiences(audiences).endSpec().build());
        } catch (RuntimeException e) {
            throw new ReviewUnavailableException("TokenReview failed", e);
        }
        if (tokenReview == null || tokenReview.getStatus() == null
                || !Boolean.TRUE.equals(tokenReview.getStatus().getAuthenticated())
                || tokenReview.getStatus().getUser() == null) {
            String error = tokenReview == null || tokenReview.getStatus() == null ? null : tokenReview.getStatus().getError();
            return new Decision.Unauthenticated(error == null || error.isBlank() ? "Token not accepted" : error);
        }
        if (!meantForSerin(audiences, tokenReview.getStatus().getAudiences())) {
            return new Decision.Unauthenticated("Token is not meant for Serin: mint one with --audience "
                    + String.join(",", audiences));
        }
        UserInfo user = tokenReview.getStatus().getUser();
        Caller caller = new Caller(user.getUsername(), user.getUid(), user.getGroups(),
                user.getExtra() == null ? null : new java.util.HashMap<>(user.getExtra()));

        SubjectAccessReview review = AccessReviews.of(caller, new ResourceAttributesBuilder().withGroup(Canary.GROUP)
                .withVersion(Canary.VERSION).withResource("canaries").withVerb(verb).withNamespace(namespace).build());
        SubjectAccessReview answer;
        try {
            answer = client.authorization().v1().subjectAccessReview().create(review);
        } catch (RuntimeException e) {
            throw new ReviewUnavailableException("SubjectAccessReview failed", e);
        }
        boolean allowed = answer != null && answer.getStatus() != null
                && Boolean.TRUE.equals(answer.getStatus().getAllowed())
                && !Boolean.TRUE.equals(answer.getStatus().getDenied());
        if (allowed) {
            return new Decision.Allowed(caller);
        }
        String where = namespace.isEmpty() ? "cluster-wide" : "in namespace " + namespace;
        LOG.debugf("%s may not %s canaries %s", caller, verb, where);
        return new Decision.Denied(caller, "User " + caller.username() + " may not " + verb + " canaries.serin.dev " + where);
    }

    /** True when the API server says the token is good for one of the audiences Serin asked for. */
    static boolean meantForSerin(List<String> wanted, List<String> reviewed) {
        return reviewed != null && reviewed.stream().anyMatch(wanted::contains);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Key(String tokenHash, String verb, String namespace) {
    }

    private record Cached(Decision decision, Instant expires) {
    }

    /** The API server could not be asked; nothing is decided or cached. */
    public static class ReviewUnavailableException extends RuntimeException {
        public ReviewUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
