package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.cluster.MadeFor;
import dev.serin.traffic.RouteState;
import dev.serin.traffic.Split;
import dev.serin.traffic.Testers;
import dev.serin.traffic.TrafficTarget;
import dev.serin.traffic.Weight;
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
        List<String> missing = new ArrayList<>();
        List<String> withoutRoute = new ArrayList<>();
        List<String> unmatched = new ArrayList<>();
        boolean allSplit = true;
        int min = Weight.FULL;
        int max = 0;
        List<Split> splits = new ArrayList<>();
        List<JsonNode> seenRoutes = new ArrayList<>();
        int testerRules = 0;
        for (String name : t.routes().names()) {
            GenericKubernetesResource route = objects.route(t.namespace(), name);
            if (route == null) {
                missing.add(name);
                continue;
            }
            JsonNode tree = GatewayApiObjects.tree(route);
            seenRoutes.add(tree);
            testerRules += HttpRouteRules.testerRules(tree, t.canary(), t.host());
            HttpRouteRules.Observation seen = HttpRouteRules.observe(tree, t.canary(), t.host());
            if (seen.rules() == 0) {
                withoutRoute.add(name);
                continue;
            }
            allSplit &= seen.splitRules() == seen.rules();
            if (seen.splitRules() < seen.rules()) {
                min = 0;
            }
            unmatched.addAll(seen.unmatched());
            for (Split s : seen.unmatchedSplits()) { // left alone, but they send traffic all the same
                min = Math.min(min, s.share().basisPoints());
                max = Math.max(max, s.share().basisPoints());
            }
            for (Split s : seen.splits()) {
                min = Math.min(min, s.share().basisPoints());
                max = Math.max(max, s.share().basisPoints());
                splits.add(s.reduced());
            }
        }
        if (splits.isEmpty() && unmatched.isEmpty()) {
            min = 0;
        }
        Split current = allSplit && !splits.isEmpty() && splits.stream().distinct().count() == 1 ? splits.get(0) : null;
        Testers testers = writer.testers(t);
        return new RouteState(backendsReady(t), missing, withoutRoute, allSplit && !splits.isEmpty(),
                new Weight(min), new Weight(max), current,
                split -> seenRoutes.stream().allMatch(r -> HttpRouteRules.carries(r, t.canary(), t.host(), split,
                        testers)),
                unmatched, split -> seenRoutes.stream()
                        .map(r -> HttpRouteRules.withSplit(r, t.canary(), t.host(), split, testers).refusal())
                        .filter(Objects::nonNull).findFirst(),
                split -> seenRoutes.stream().allMatch(r -> HttpRouteRules.carries(
                        HttpRouteRules.withoutTesters(r, t.canary(), t.host()), t.canary(), t.host(), split)),
                testerRules);
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
