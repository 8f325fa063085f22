package dev.serin.rest.auth;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Refuses to start with serin.api.auth=none unless the HTTP server listens on loopback ({@link LoopbackOnly});
 * says loudly at start-up when the REST API is open to anyone on this machine. Start-up fails with the reason,
 * and the process exits non-zero.
 */
@ApplicationScoped
public class AuthModeStartup {
    private static final Logger LOG = Logger.getLogger(AuthModeStartup.class);

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = "serin.api.auth", defaultValue = "kubernetes") AuthMode mode,
            @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0") String host,
            @ConfigProperty(name = "quarkus.http.test-host") Optional<String> testHost) {
        // in tests the server listens on quarkus.http.test-host when set
        check(mode, LaunchMode.current() == LaunchMode.TEST ? testHost.orElse(host) : host);
    }

    static void check(AuthMode mode, String host) {
        Optional<String> refusal = LoopbackOnly.refusal(mode, host);
        if (refusal.isPresent()) {
            LOG.error(refusal.get());
            throw new RefusedToStart(refusal.get());
        }
        if (mode == AuthMode.none) {
            LOG.warnf("serin.api.auth=none: the REST API under /api/v1 checks no identity or permission; "
                    + "anyone on this machine (%s) can change canary traffic. Use only for local development.", host);
        } else {
            LOG.info("REST API under /api/v1 authorises callers with TokenReview and SubjectAccessReview");
        }
    }

    /** Start-up refused: Quarkus logs it and the process exits non-zero. */
    public static class RefusedToStart extends IllegalStateException {
        public RefusedToStart(String message) {
            super(message);
        }
    }
}
