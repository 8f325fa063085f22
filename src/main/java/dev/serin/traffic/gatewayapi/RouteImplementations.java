package dev.serin.traffic.gatewayapi;

import dev.serin.traffic.TrafficTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Which implementations serve a Canary's HTTPRoutes, as far as it decides whether Istio's metrics count its traffic. */
final class RouteImplementations {
    private final GatewayApiObjects objects;

    RouteImplementations(GatewayApiObjects objects) {
        this.objects = objects;
    }

    /**
     * Istio's metrics count the Canary's traffic only where Istio implements its HTTPRoutes: each listed route must have
     * Istio among the implementations reporting in its {@code status.parents}. A route another implementation alone
     * reports on has none; a route nobody reports on yet may be served by anything, so nothing is measured rather
     * than a guess. A listed route that does not exist is Valid=False's to report.
     */
    Optional<String> withoutIstioMetrics(TrafficTarget t) {
        List<String> others = new ArrayList<>();
        List<String> unreported = new ArrayList<>();
        for (GatewayApiObjects.ListedRoute route : objects.listedRoutes(t)) {
            Set<String> controllers = RouteAcceptance.controllers(route.tree());
            if (controllers.isEmpty()) {
                unreported.add(route.name());
            } else if (!RouteAcceptance.byIstio(controllers)) {
                others.add(route.name() + " (" + String.join(", ", controllers) + ")");
            }
        }
        if (!others.isEmpty()) {
            return Optional.of("no Istio metrics: HTTPRoute " + String.join(", ", others) + " is implemented by another"
                    + " than Istio, and Serin measures Istio's istio_requests_total");
        }
        if (!unreported.isEmpty()) {
            return Optional.of("no Istio metrics known: HTTPRoute " + String.join(", ", unreported) + " has no status"
                    + " yet, so no implementation has said whether Istio serves it (Serin measures Istio's"
                    + " istio_requests_total)");
        }
        return Optional.empty();
    }
}
