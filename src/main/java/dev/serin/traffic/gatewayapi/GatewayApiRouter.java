package dev.serin.traffic.gatewayapi;

import dev.serin.cluster.GatewayApi;
import dev.serin.traffic.BackendWords;
import dev.serin.traffic.Outcome;
import dev.serin.traffic.OwnedFields;
import dev.serin.traffic.Refusal;
import dev.serin.traffic.RouteState;
import dev.serin.traffic.Split;
import dev.serin.traffic.TrafficLeftovers;
import dev.serin.traffic.TrafficRouter;
import dev.serin.traffic.TrafficTarget;
import dev.serin.traffic.TrafficTargets;
import dev.serin.traffic.WatchedKind;
import dev.serin.traffic.Weight;
import io.fabric8.kubernetes.api.model.HasMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Splits traffic with Gateway API: the rules of the listed HTTPRoutes that name the host's Service send its share to
 * two Services Serin makes, {@code <name>-stable} and {@code <name>-canary}, in the exact reduced ratio (weights up to
 * 1,000,000). Served when the cluster serves gateway.networking.k8s.io/v1 HTTPRoutes ({@link GatewayApi}).
 */
@ApplicationScoped
public class GatewayApiRouter implements TrafficRouter {
    public static final String NOT_SERVED = "GatewayApiNotServed";
    /** An HTTPRoute listed in spec.traffic.httpRoutes names the host's Service in no rule. */
    public static final String NO_RULE_FOR_HOST = "NoHTTPRouteRuleForHost";
    public static final String ROUTE_NOT_FOUND = "HTTPRouteNotFound";
    public static final String SERVICE_NOT_FOUND = "ServiceNotFound";
    public static final String SERVICE_WITHOUT_SELECTOR = "ServiceWithoutSelector";
    public static final String SERVICE_NAME_TAKEN = "ServiceNameTaken";
    private static final BackendWords WORDS = new BackendWords("Services", "the stable Service", "WaitingForServices");

    private final GatewayApi gatewayApi;
    private final GatewayApiWriter writer;
    private final GatewayApiLeftovers leftovers;
    private final GatewayApiObjects objects;
    private final RelatedCanaries related;
    private final GatewayApiRouteChecks checks;
    private final HttpRouteReadBack readBack;
    private final ChangeStamps stamps;
    private final RouteImplementations implementations;

    public GatewayApiRouter(GatewayApi gatewayApi, GatewayApiObjects objects, GatewayApiWriter writer,
            GatewayApiLeftovers leftovers, Clock clock) {
        this.gatewayApi = gatewayApi;
        this.writer = writer;
        this.leftovers = leftovers;
        this.objects = objects;
        this.related = new RelatedCanaries(leftovers);
        this.checks = new GatewayApiRouteChecks(objects);
        this.readBack = new HttpRouteReadBack(objects, writer);
        this.stamps = new ChangeStamps(objects, clock);
        this.implementations = new RouteImplementations(objects);
    }

    @Override
    public String dialect() {
        return TrafficTargets.GATEWAY_API;
    }

    @Override
    public boolean discover() {
        return gatewayApi.decide();
    }

    @Override
    public boolean rediscover() {
        return gatewayApi.recheck();
    }

    @Override
    public boolean served() {
        return gatewayApi.served();
    }

    @Override
    public boolean absent() {
        return gatewayApi.absent();
    }

    @Override
    public Optional<String> problem() {
        return gatewayApi.problem();
    }

    @Override
    public String notServedReason() {
        return NOT_SERVED;
    }

    @Override
    public List<WatchedKind> watched() {
        return related.watched();
    }

    @Override
    public Optional<Refusal> checkWeight(Weight weight) {
        return Optional.empty(); // every weight in hundredths of a percent is a ratio within 1,000,000
    }

    @Override
    public Optional<Refusal> checkRoutes(TrafficTarget t, RouteState routes) {
        return checks.check(t, routes);
    }

    @Override
    public Outcome<Split> split(Weight weight) {
        return Outcome.of(Split.relative(weight));
    }

    @Override
    public Weight floor(Weight weight) {
        return weight;
    }

    @Override
    public RouteState observe(TrafficTarget t) {
        return readBack.observe(t);
    }

    @Override
    public Optional<Instant> backendsChangedAt(TrafficTarget t) {
        return stamps.backendsChangedAt(t);
    }

    @Override
    public Optional<Instant> routesChangedAt(TrafficTarget t) {
        return stamps.routesChangedAt(t);
    }

    @Override
    public OwnedFields routeFields(TrafficTarget t) {
        List<HasMetadata> found = new ArrayList<>();
        t.routes().names().stream().map(name -> objects.route(t.namespace(), name)).filter(Objects::nonNull)
                .forEach(found::add);
        return new OwnedFields("rules Serin wrote in " + describeRoutes(t), found, "f:rules");
    }

    @Override
    public OwnedFields backendFields(TrafficTarget t) {
        List<HasMetadata> found = new ArrayList<>();
        List.of(ServiceNames.stable(t.canary()), ServiceNames.canary(t.canary())).stream()
                .map(name -> objects.service(t.namespace(), name)).filter(Objects::nonNull).forEach(found::add);
        return new OwnedFields("selectors Serin wrote in Services " + ServiceNames.stable(t.canary()) + " and "
                + ServiceNames.canary(t.canary()), found, "f:selector");
    }

    @Override
    public String describeRoutes(TrafficTarget t) {
        return "HTTPRoute " + String.join(", ", t.routes().names());
    }

    @Override
    public BackendWords words() {
        return WORDS;
    }

    @Override
    public TrafficLeftovers leftovers() {
        return leftovers;
    }

    @Override
    public boolean prepareBackends(TrafficTarget t) {
        return writer.prepareBackends(t);
    }

    @Override
    public boolean canTake(TrafficTarget t, Split split) {
        return writer.canTake(t, split);
    }

    @Override
    public Outcome<Boolean> applySplit(TrafficTarget t, Split split) {
        return writer.applySplit(t, split);
    }

    @Override
    public boolean restoreRoutes(TrafficTarget t) {
        return writer.restoreRoutes(t);
    }

    @Override
    public boolean removeBackends(TrafficTarget t) {
        return writer.removeBackends(t);
    }

    @Override
    public Optional<String> withoutIstioMetrics(TrafficTarget t) {
        return implementations.withoutIstioMetrics(t);
    }

    @Override
    public boolean detachOwners(TrafficTarget t) {
        return false; // no Serin ever set an ownerReference on these Services
    }
}
