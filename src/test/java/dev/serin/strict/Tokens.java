package dev.serin.strict;

import dev.serin.strict.rbac.Identity;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewStatusBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfoBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The bearer tokens the strict API server knows, each with the audiences it is good for. A token minted without an
 * audience ({@code kubectl create token NAME}) is good for the API server itself only; one minted with
 * {@code --audience serin} is good for Serin only, and the API server refuses it (401).
 */
public final class Tokens {
    public static final String API_SERVER_AUDIENCE = "https://kubernetes.default.svc.cluster.local";

    private record Entry(Identity identity, Set<String> audiences) {
    }

    private final Map<String, Entry> tokens = new ConcurrentHashMap<>();
    private volatile Consumer<TokenReview> observer = review -> { };

    /** Sees every TokenReview asked (before it is answered), for tests that check what Serin sends. */
    public void observer(Consumer<TokenReview> observer) {
        this.observer = observer;
    }

    /** A token good for the given audiences (the API server's own when none is given). */
    public void register(String token, Identity identity, String... audiences) {
        tokens.put(token, new Entry(identity, audiences.length == 0 ? Set.of(API_SERVER_AUDIENCE) : Set.of(audiences)));
    }

    public void revoke(String token) {
        tokens.remove(token);
    }

    /** Who the token belongs to, if it is good for the API server itself. */
    public Optional<Identity> authenticate(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.startsWith("Bearer ")) {
            return Optional.empty();
        }
        Entry entry = tokens.get(authorizationHeader.substring("Bearer ".length()).trim());
        return entry != null && entry.audiences().contains(API_SERVER_AUDIENCE)
                ? Optional.of(entry.identity()) : Optional.empty();
    }

    /**
     * Answers a TokenReview as the real server does: without spec.audiences the API server's own audience is asked
     * for; the token is authenticated only when it is good for at least one audience asked for, and status.audiences
     * echoes just those.
     */
    public TokenReview review(TokenReview review) {
        observer.accept(Serialization.clone(review));
        Entry entry = review.getSpec() == null || review.getSpec().getToken() == null ? null
                : tokens.get(review.getSpec().getToken());
        List<String> asked = review.getSpec() == null || review.getSpec().getAudiences() == null
                || review.getSpec().getAudiences().isEmpty()
                        ? List.of(API_SERVER_AUDIENCE) : review.getSpec().getAudiences();
        List<String> good = new ArrayList<>();
        if (entry != null) {
            asked.stream().filter(entry.audiences()::contains).forEach(good::add);
        }
        if (good.isEmpty()) {
            review.setStatus(new TokenReviewStatusBuilder().withAuthenticated(false)
                    .withError(entry == null ? "invalid bearer token" : "token audiences " + entry.audiences()
                            + " is invalid for the target audiences " + asked)
                    .build());
        } else {
            Identity who = entry.identity();
            review.setStatus(new TokenReviewStatusBuilder().withAuthenticated(true).withAudiences(good)
                    .withUser(new UserInfoBuilder().withUsername(who.user()).withUid("uid-" + who.user())
                            .withGroups(who.groups()).build())
                    .build());
        }
        return review;
    }
}
