package dev.serin.health;

import dev.serin.reconcile.Controller;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * On the replica that reconciles, ready only once every informer has synced; a replica that does not lead
 * serves the REST API and is ready at once.
 */
@Readiness
@ApplicationScoped
public class CachesSyncedCheck implements HealthCheck {
    private final Controller controller;

    public CachesSyncedCheck(Controller controller) {
        this.controller = controller;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("informers-synced").status(!controller.active() || controller.started())
                .withData("reconciling", controller.active()).build();
    }
}
