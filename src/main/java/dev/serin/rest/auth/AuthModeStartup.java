package dev.serin.rest.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Says loudly at start-up when the REST API is open to anyone. */
@ApplicationScoped
public class AuthModeStartup {
    private static final Logger LOG = Logger.getLogger(AuthModeStartup.class);

    void onStart(@Observes StartupEvent event,
            @ConfigProperty(name = "serin.api.auth", defaultValue = "kubernetes") AuthMode mode) {
        if (mode == AuthMode.none) {
            LOG.warn("serin.api.auth=none: the REST API under /api/v1 checks no identity or permission; "
                    + "anyone who reaches it can change canary traffic. Use only for local development.");
        } else {
            LOG.info("REST API under /api/v1 authorises callers with TokenReview and SubjectAccessReview");
        }
    }
}
