package dev.serin.rest.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A TokenReview counts only when its status.audiences names one of serin.api.token-audiences. */
class TokenAudienceTest {
    @Test
    void onlyAReviewNamingOneOfSerinsAudiencesIsAccepted() {
        assertTrue(Authorizer.meantForSerin(List.of("serin"), List.of("serin")));
        assertTrue(Authorizer.meantForSerin(List.of("serin", "serin.example"), List.of("serin.example")));
        assertFalse(Authorizer.meantForSerin(List.of("serin"), List.of("https://kubernetes.default.svc.cluster.local")));
        assertFalse(Authorizer.meantForSerin(List.of("serin"), List.of()));
        assertFalse(Authorizer.meantForSerin(List.of("serin"), null));
    }
}
