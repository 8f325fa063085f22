package dev.serin.health;

import dev.serin.reconcile.Controller;
import dev.serin.reconcile.Dialects;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * On the replica that reconciles, down while no traffic dialect (Istio, Gateway API) can be used, with each one's
 * reason: the cluster serves none Serin supports, or discovery could not be asked. One served dialect is enough:
 * Canaries of the others say why in their Valid condition.
 */
@Readiness
@ApplicationScoped
public class TrafficDialectsCheck implements HealthCheck {
    private final Controller controller;
    private final Dialects dialects;

    public TrafficDialectsCheck(Controller controller, Dialects dialects) {
        this.controller = controller;
        this.dialects = dialects;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("traffic-dialects").up();
        if (!controller.active()) {
            return response.withData("reconciling", false).build();
        }
        dialects.states().forEach(response::withData);
        return dialects.anyUsable() ? response.build() : response.down().build();
    }
}
