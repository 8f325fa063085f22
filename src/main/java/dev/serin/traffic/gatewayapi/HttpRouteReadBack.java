package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.cluster.MadeFor;
import dev.serin.traffic.RouteFold;
import dev.serin.traffic.RouteState;
import dev.serin.traffic.Testers;
import dev.serin.traffic.TrafficTarget;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reads back what a Canary's HTTPRoutes and Services carry now, as the mesh-neutral {@link RouteState}. */
final class HttpRouteReadBack {
    private final GatewayApiObjects objects;
    private final GatewayApiWriter writer;

    HttpRouteReadBack(GatewayApiObjects objects, GatewayApiWriter writer) {
        this.objects = objects;
        this.writer = writer;
    }

    RouteState observe(TrafficTarget t) {
        RouteFold fold = new RouteFold();
        List<JsonNode> seenRoutes = new ArrayList<>();
        for (String name : t.routes().names()) {
            GenericKubernetesResource route = objects.route(t.namespace(), name);
            if (route == null) {
                fold.missing(name);
                continue;
            }
            JsonNode tree = GatewayApiObjects.tree(route);
            seenRoutes.add(tree);
            fold.testerRoutes(HttpRouteRules.testerRules(tree, t.canary(), t.host()));
            HttpRouteRules.Observation seen = HttpRouteRules.observe(tree, t.canary(), t.host());
            fold.source(name, seen.rules(), seen.splitRules(), seen.splits(), seen.unmatchedSplits(), seen.unmatched());
        }
        Testers testers = writer.testers(t);
        return fold.state(backendsReady(t),
                split -> seenRoutes.stream().allMatch(r -> HttpRouteRules.carries(r, t.canary(), t.host(), split,
                        testers)),
                split -> seenRoutes.stream()
                        .map(r -> HttpRouteRules.withSplit(r, t.canary(), t.host(), split, testers).refusal())
                        .filter(Objects::nonNull).findFirst(),
                split -> seenRoutes.stream().allMatch(r -> HttpRouteRules.carries(
                        HttpRouteRules.withoutTesters(r, t.canary(), t.host()), t.canary(), t.host(), split)));
    }

    /**
     * Both Services are as they should be, and the stable one has ready endpoints (the canary one gets its endpoints
     * once the canary pods are up: no route names it before, see {@link GatewayApiWriter#applySplit}).
     */
    private boolean backendsReady(TrafficTarget t) {
        Optional<List<Service>> desired = writer.desiredServices(t);
        if (desired.isEmpty()) {
            return false;
        }
        for (Service want : desired.get()) {
            Service live = objects.service(t.namespace(), want.getMetadata().getName());
            if (live == null || !MadeFor.canary(live, t.canary()) || !CanaryServices.matches(live, want)) {
                return false;
            }
        }
        return objects.readyEndpoints(t.namespace(), ServiceNames.stable(t.canary())) > 0;
    }
}
