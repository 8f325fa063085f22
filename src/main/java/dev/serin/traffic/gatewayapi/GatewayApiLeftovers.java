package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.cluster.MadeFor;
import dev.serin.traffic.CanaryRef;
import dev.serin.traffic.JsonAnnotations;
import dev.serin.traffic.Routes;
import dev.serin.traffic.TrafficLeftovers;
import dev.serin.traffic.TrafficTarget;
import dev.serin.traffic.TrafficTargets;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A Canary's marks on Gateway API objects: the original rules, split host and change stamp on the HTTPRoutes it
 * split, and the label on the Services it made.
 */
@ApplicationScoped
public class GatewayApiLeftovers implements TrafficLeftovers {
    private final GatewayApiObjects objects;

    public GatewayApiLeftovers(GatewayApiObjects objects) {
        this.objects = objects;
    }

    @Override
    public Set<String> canariesMarkedOn(GenericKubernetesResource object) {
        Set<String> names = new TreeSet<>();
        String label = MadeFor.canary(object);
        if (label != null) {
            names.add(label);
        }
        JsonNode tree = GatewayApiObjects.tree(object);
        names.addAll(HttpRouteRules.canaries(tree));
        names.addAll(JsonAnnotations.canaries(tree, HttpRouteRules.ROUTES_CHANGED_AT));
        return names;
    }

    @Override
    public Set<String> canariesMarkedOn(TrafficTarget target) {
        Set<String> names = new TreeSet<>();
        for (String name : target.routes().names()) {
            GenericKubernetesResource route = objects.route(target.namespace(), name);
            if (route != null) {
                names.addAll(canariesMarkedOn(route));
            }
        }
        return names;
    }

    @Override
    public Set<CanaryRef> markedCanaries() {
        Set<CanaryRef> marked = new HashSet<>();
        Stream.concat(objects.allRoutes().stream(), objects.allServices().stream()
                .filter(s -> MadeFor.canary(s) != null)).forEach(object -> canariesMarkedOn(object)
                        .forEach(name -> marked.add(new CanaryRef(object.getMetadata().getNamespace(), name))));
        return marked;
    }

    @Override
    public Optional<TrafficTarget> leftovers(String namespace, String canary) {
        List<String> routes = new ArrayList<>();
        String host = null;
        for (GenericKubernetesResource route : objects.routes(namespace)) {
            if (canariesMarkedOn(route).contains(canary)) {
                routes.add(route.getMetadata().getName());
                host = host != null ? host : HttpRouteRules.splitHost(GatewayApiObjects.tree(route), canary);
            }
        }
        boolean services = Stream.of(ServiceNames.stable(canary), ServiceNames.canary(canary))
                .map(name -> objects.service(namespace, name))
                .anyMatch(s -> s != null && MadeFor.canary(s, canary));
        if (routes.isEmpty() && !services) {
            return Optional.empty();
        }
        if (host == null) { // routes restored already: the Services alone are left, and need no host
            Service stable = objects.service(namespace, ServiceNames.stable(canary));
            host = stable == null ? canary : stable.getMetadata().getName();
        }
        routes.sort(null);
        return Optional.of(new TrafficTarget(namespace, canary, host,
                new Routes(TrafficTargets.GATEWAY_API, routes, null), null, null, null));
    }
}
