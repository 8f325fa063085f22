package dev.serin.traffic.gatewayapi;

import dev.serin.cluster.MadeFor;
import dev.serin.traffic.Refusal;
import dev.serin.traffic.RouteState;
import dev.serin.traffic.TrafficTarget;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Optional;

/**
 * Whether Gateway API can split a Canary's traffic at all: its name makes valid Service names, its routes exist and
 * name the host, the tester rules fit Gateway API's limits, and the host's Service can be copied into the two Serin
 * makes.
 */
final class GatewayApiRouteChecks {
    private final GatewayApiObjects objects;

    GatewayApiRouteChecks(GatewayApiObjects objects) {
        this.objects = objects;
    }

    Optional<Refusal> check(TrafficTarget t, RouteState routes) {
        if (!t.canary().matches("[a-z]([-a-z0-9]*[a-z0-9])?")) {
            return Optional.of(new Refusal("InvalidServiceName", "Canary " + t.canary() + " would name Services "
                    + ServiceNames.stable(t.canary()) + " and " + ServiceNames.canary(t.canary())
                    + ", which are no DNS-1035 labels: with HTTPRoutes the Canary's name must start with a letter"));
        }
        if (!routes.missingRouteSources().isEmpty()) {
            return Optional.of(new Refusal(GatewayApiRouter.ROUTE_NOT_FOUND, "HTTPRoute " + String.join(", ",
                    routes.missingRouteSources()) + " does not exist in namespace " + t.namespace()
                    + "; Serin splits existing HTTPRoutes and never creates one"));
        }
        if (!routes.withoutRoute().isEmpty()) {
            return Optional.of(new Refusal(GatewayApiRouter.NO_RULE_FOR_HOST, "HTTPRoute "
                    + String.join(", ", routes.withoutRoute()) + " has no rule whose backendRefs name Service "
                    + HostBackends.serviceName(t.host(), t.namespace()) + " (kind Service, in namespace "
                    + t.namespace() + ")"));
        }
        for (GatewayApiObjects.ListedRoute route : objects.listedRoutes(t)) {
            Optional<Refusal> past = HttpRouteRules.testerLimits(route.tree(), t.canary(), t.host(), t.testers());
            if (past.isPresent()) {
                return past;
            }
        }
        return checkServices(t);
    }

    private Optional<Refusal> checkServices(TrafficTarget t) {
        String host = HostBackends.serviceName(t.host(), t.namespace());
        Service target = objects.service(t.namespace(), host);
        if (target == null) {
            return Optional.of(new Refusal(GatewayApiRouter.SERVICE_NOT_FOUND, "Service " + host
                    + " does not exist in namespace " + t.namespace() + ": its ports and selector make "
                    + ServiceNames.stable(t.canary()) + " and " + ServiceNames.canary(t.canary())));
        }
        if (target.getSpec().getSelector() == null || target.getSpec().getSelector().isEmpty()) {
            return Optional.of(new Refusal(GatewayApiRouter.SERVICE_WITHOUT_SELECTOR, "Service " + host
                    + " has no selector, so there are no pods to tell apart by version"));
        }
        for (String name : List.of(ServiceNames.stable(t.canary()), ServiceNames.canary(t.canary()))) {
            Service taken = objects.service(t.namespace(), name);
            if (taken != null && !MadeFor.canary(taken, t.canary())) {
                return Optional.of(new Refusal(GatewayApiRouter.SERVICE_NAME_TAKEN, "Service " + name
                        + " exists and was not made by Serin for Canary " + t.canary() + "; Serin will not change it"));
            }
        }
        return Optional.empty();
    }
}
