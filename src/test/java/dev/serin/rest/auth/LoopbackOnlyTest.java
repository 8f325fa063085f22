package dev.serin.rest.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** serin.api.auth=none only on loopback. */
class LoopbackOnlyTest {
    @Test
    void noneIsAllowedOnLoopbackOnly() {
        for (String host : new String[] {"localhost", "127.0.0.1", "127.1.2.3", "::1", "[::1]", "LOCALHOST"}) {
            assertEquals(Optional.empty(), LoopbackOnly.refusal(AuthMode.none, host), host);
        }
        for (String host : new String[] {"0.0.0.0", "::", "10.0.0.7", "serin.example", "localhost.evil", "", " "}) {
            Optional<String> refusal = LoopbackOnly.refusal(AuthMode.none, host);
            assertTrue(refusal.isPresent(), host);
            assertTrue(refusal.get().contains("serin.api.auth=none") && refusal.get().contains("loopback"), refusal.get());
        }
        assertTrue(LoopbackOnly.refusal(AuthMode.none, null).isPresent());
    }

    @Test
    void kubernetesAuthMayListenAnywhere() {
        assertEquals(Optional.empty(), LoopbackOnly.refusal(AuthMode.kubernetes, "0.0.0.0"));
    }

    @Test
    void startUpFailsWithTheReason() {
        AuthModeStartup.RefusedToStart refused = assertThrows(AuthModeStartup.RefusedToStart.class,
                () -> AuthModeStartup.check(AuthMode.none, "0.0.0.0"));
        assertTrue(refused.getMessage().contains("quarkus.http.host is 0.0.0.0"), refused.getMessage());
        assertDoesNotThrow(() -> AuthModeStartup.check(AuthMode.none, "127.0.0.1"));
        assertDoesNotThrow(() -> AuthModeStartup.check(AuthMode.kubernetes, "0.0.0.0"));
    }
}
