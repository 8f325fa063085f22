package dev.serin.traffic.gatewayapi;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.cluster.GatewayApi;
import dev.serin.traffic.Routes;
import dev.serin.traffic.TrafficTargets;
import dev.serin.traffic.WatchedKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;

/** The kinds the Gateway API router watches, and which Canaries an event on one of their objects concerns. */
final class RelatedCanaries {
    private final GatewayApiLeftovers leftovers;

    RelatedCanaries(GatewayApiLeftovers leftovers) {
        this.leftovers = leftovers;
    }

    List<WatchedKind> watched() {
        return List.of(
                new WatchedKind(GatewayApi.HTTP_ROUTES, related((routes, object) ->
                        routes.names().contains(object.getMetadata().getName()))),
                // the target's Service (its ports and selector), and the two Serin made
                new WatchedKind(GatewayApi.SERVICES, related((routes, object) -> false)),
                new WatchedKind(GatewayApi.ENDPOINT_SLICES, related((routes, object) -> false)));
    }

    /**
     * The live Gateway API Canaries the object concerns (it is one of their routes, their host's Service, or one of
     * their Services or its EndpointSlice), and the Canaries whose marks it bears.
     */
    private BiFunction<GenericKubernetesResource, List<Canary>, Set<String>> related(
            BiPredicate<Routes, GenericKubernetesResource> names) {
        return (object, canaries) -> {
            Set<String> related = new TreeSet<>(leftovers.canariesMarkedOn(object));
            Map<String, String> labels = object.getMetadata().getLabels();
            String service = labels == null ? object.getMetadata().getName()
                    : labels.getOrDefault(EndpointReadiness.SERVICE_NAME_LABEL, object.getMetadata().getName());
            for (Canary canary : canaries) {
                Routes routes = TrafficTargets.routes(canary);
                String name = canary.getMetadata().getName();
                if (canary.getSpec() == null || !TrafficTargets.GATEWAY_API.equals(routes.dialect())) {
                    continue;
                }
                String host = HostBackends.serviceName(TrafficTargets.host(canary), canary.getMetadata().getNamespace());
                if (names.test(routes, object) || service.equals(host) || service.equals(ServiceNames.stable(name))
                        || service.equals(ServiceNames.canary(name))) {
                    related.add(name);
                }
            }
            return related;
        };
    }
}
