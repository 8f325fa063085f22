package dev.serin.reconcile;

import static dev.serin.reconcile.ApiErrors.Retry.AT_ONCE;
import static dev.serin.reconcile.ApiErrors.Retry.BACKOFF;
import static dev.serin.reconcile.ApiErrors.Retry.WHEN_CHANGED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiErrorsTest {
    @Test
    void aConflictIsRetriedAtOnceThrottlingServerErrorsAndNoAnswerAtABackoff() {
        assertEquals(AT_ONCE, ApiErrors.retry(409));
        for (int code : List.of(0, 429, 500, 502, 503, 504)) {
            assertEquals(BACKOFF, ApiErrors.retry(code), String.valueOf(code));
            assertTrue(ApiErrors.retryable(code));
        }
    }

    @Test
    void everyOtherClientErrorWaitsForAChange() {
        for (int code : List.of(400, 401, 403, 405, 410, 413, 415, 422)) {
            assertEquals(WHEN_CHANGED, ApiErrors.retry(code), String.valueOf(code));
            assertFalse(ApiErrors.retryable(code));
        }
    }

    /** A 404 on a write: the object was deleted after the cache read, and its deletion event brings the next pass. */
    @Test
    void notFoundIsNoRefusal() {
        assertEquals(ApiErrors.Retry.GONE, ApiErrors.retry(404));
        assertTrue(ApiErrors.retryable(404));
    }

    @Test
    void theMessageIsTheServersOwnWhenItSentOne() {
        var refused = new KubernetesClientException(new StatusBuilder().withCode(422)
                .withMessage("Deployment.apps \"x\" is invalid").build());
        assertEquals("Deployment.apps \"x\" is invalid", ApiErrors.message(refused));
        var bare = new KubernetesClientException("connection reset", 0, null);
        assertEquals("connection reset", ApiErrors.message(bare));
    }
}
