package dev.serin.health;

import dev.serin.cluster.IstioApi;
import dev.serin.reconcile.Controller;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * On the replica that reconciles, down with the reason while the cluster serves no networking.istio.io version
 * Serin supports (the informers then never start, so this is the check that says why).
 */
@Readiness
@ApplicationScoped
public class IstioApiCheck implements HealthCheck {
    private final Controller controller;
    private final IstioApi istio;

    public IstioApiCheck(Controller controller, IstioApi istio) {
        this.controller = controller;
        this.istio = istio;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("istio-api").up();
        if (!controller.active()) {
            return response.withData("reconciling", false).build();
        }
        istio.version().ifPresent(v -> response.withData("version", v));
        istio.problem().ifPresent(reason -> response.down().withData("reason", reason));
        return response.build();
    }
}
