package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.cluster.GatewayApi;
import dev.serin.cluster.MadeFor;
import dev.serin.traffic.BackendWords;
import dev.serin.traffic.JsonAnnotations;
import dev.serin.traffic.Outcome;
import dev.serin.traffic.OwnedFields;
import dev.serin.traffic.Refusal;
import dev.serin.traffic.RouteState;
import dev.serin.traffic.Routes;
import dev.serin.traffic.Split;
import dev.serin.traffic.Testers;
import dev.serin.traffic.TrafficLeftovers;
import dev.serin.traffic.TrafficRouter;
import dev.serin.traffic.TrafficTarget;
import dev.serin.traffic.TrafficTargets;
import dev.serin.traffic.WatchedKind;
import dev.serin.traffic.Weight;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

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
    private final GatewayApiObjects objects;
    private final GatewayApiWriter writer;
    private final GatewayApiLeftovers leftovers;
    private final Clock clock;

    public GatewayApiRouter(GatewayApi gatewayApi, GatewayApiObjects objects, GatewayApiWriter writer,
            GatewayApiLeftovers leftovers, Clock clock) {
        this.gatewayApi = gatewayApi;
        this.objects = objects;
        this.writer = writer;
        this.leftovers = leftovers;
        this.clock = clock;
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
            java.util.function.BiPredicate<Routes, GenericKubernetesResource> names) {
        return (object, canaries) -> {
            Set<String> related = new TreeSet<>(leftovers.canariesMarkedOn(object));
            Map<String, String> labels = object.getMetadata().getLabels();
            String service = labels == null ? object.getMetadata().getName()
                    : labels.getOrDefault(EndpointReadiness.SERVICE_NAME_LABEL, object.getMetadata().getName());
            for (Canary canary : canaries) {
                Routes routes = TrafficTargets.routes(canary);
                String name = canary.getMetadata().getName();
                if (canary.getSpec() == null || !dialect().equals(routes.dialect())) {
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

    @Override
    public Optional<Refusal> checkWeight(Weight weight) {
        return Optional.empty(); // every weight in hundredths of a percent is a ratio within 1,000,000
    }

    @Override
    public Optional<Refusal> checkRoutes(TrafficTarget t, RouteState routes) {
        if (!t.canary().matches("[a-z]([-a-z0-9]*[a-z0-9])?")) {
            return Optional.of(new Refusal("InvalidServiceName", "Canary " + t.canary() + " would name Services "
                    + ServiceNames.stable(t.canary()) + " and " + ServiceNames.canary(t.canary())
                    + ", which are no DNS-1035 labels: with HTTPRoutes the Canary's name must start with a letter"));
        }
        if (!routes.missingRouteSources().isEmpty()) {
            return Optional.of(new Refusal(ROUTE_NOT_FOUND, "HTTPRoute " + String.join(", ",
                    routes.missingRouteSources()) + " does not exist in namespace " + t.namespace()
                    + "; Serin splits existing HTTPRoutes and never creates one"));
        }
        if (!routes.withoutRoute().isEmpty()) {
            return Optional.of(new Refusal(NO_RULE_FOR_HOST, "HTTPRoute " + String.join(", ", routes.withoutRoute())
                    + " has no rule whose backendRefs name Service " + HostBackends.serviceName(t.host(), t.namespace())
                    + " (kind Service, in namespace " + t.namespace() + ")"));
        }
        for (String name : t.routes().names()) {
            GenericKubernetesResource route = objects.route(t.namespace(), name);
            Optional<Refusal> past = route == null ? Optional.empty()
                    : HttpRouteRules.testerLimits(GatewayApiObjects.tree(route), t.canary(), t.host(), t.testers());
            if (past.isPresent()) {
                return past;
            }
        }
        String host = HostBackends.serviceName(t.host(), t.namespace());
        Service target = objects.service(t.namespace(), host);
        if (target == null) {
            return Optional.of(new Refusal(SERVICE_NOT_FOUND, "Service " + host + " does not exist in namespace "
                    + t.namespace() + ": its ports and selector make " + ServiceNames.stable(t.canary()) + " and "
                    + ServiceNames.canary(t.canary())));
        }
        if (target.getSpec().getSelector() == null || target.getSpec().getSelector().isEmpty()) {
            return Optional.of(new Refusal(SERVICE_WITHOUT_SELECTOR, "Service " + host + " has no selector, so there"
                    + " are no pods to tell apart by version"));
        }
        for (String name : List.of(ServiceNames.stable(t.canary()), ServiceNames.canary(t.canary()))) {
            Service taken = objects.service(t.namespace(), name);
            if (taken != null && !MadeFor.canary(taken, t.canary())) {
                return Optional.of(new Refusal(SERVICE_NAME_TAKEN, "Service " + name + " exists and was not made by"
                        + " Serin for Canary " + t.canary() + "; Serin will not change it"));
            }
        }
        return Optional.empty();
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

    @Override
    public Optional<Instant> backendsChangedAt(TrafficTarget t) {
        Optional<Instant> latest = Optional.empty();
        for (String name : List.of(ServiceNames.stable(t.canary()), ServiceNames.canary(t.canary()))) {
            Service service = objects.service(t.namespace(), name);
            String at = service == null || service.getMetadata().getAnnotations() == null ? null
                    : service.getMetadata().getAnnotations().get(GatewayApiWriter.SERVICES_CHANGED_AT);
            latest = later(latest, parse(at));
        }
        return latest;
    }

    /**
     * When Serin last changed the Canary's routes, as stamped on them; and while an implementation reporting on a route
     * has not seen its current generation ({@code status.parents[].conditions[].observedGeneration}), now: the settle
     * starts again until it has.
     */
    @Override
    public Optional<Instant> routesChangedAt(TrafficTarget t) {
        Optional<Instant> latest = Optional.empty();
        for (String name : t.routes().names()) {
            GenericKubernetesResource route = objects.route(t.namespace(), name);
            if (route == null) {
                continue;
            }
            JsonNode tree = GatewayApiObjects.tree(route);
            if (!RouteAcceptance.caughtUp(tree)) {
                return Optional.of(clock.instant());
            }
            JsonNode stamp = JsonAnnotations.entry(tree, HttpRouteRules.ROUTES_CHANGED_AT, t.canary());
            latest = later(latest, parse(stamp == null ? null : stamp.asText(null)));
        }
        return latest;
    }

    private static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
        return a.isEmpty() || (b.isPresent() && b.get().isAfter(a.get())) ? b : a;
    }

    private static Optional<Instant> parse(String at) {
        try {
            return at == null ? Optional.empty() : Optional.of(Instant.parse(at));
        } catch (DateTimeParseException e) {
            return Optional.empty(); // mangled by hand: as if absent
        }
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

    /**
     * Istio's metrics count the Canary's traffic only where Istio implements its HTTPRoutes: each listed route must have
     * Istio among the implementations reporting in its {@code status.parents}. A route another implementation alone
     * reports on has none; a route nobody reports on yet may be served by anything, so nothing is measured rather
     * than a guess. A listed route that does not exist is Valid=False's to report.
     */
    @Override
    public Optional<String> withoutIstioMetrics(TrafficTarget t) {
        List<String> others = new ArrayList<>();
        List<String> unreported = new ArrayList<>();
        for (String name : t.routes().names()) {
            GenericKubernetesResource route = objects.route(t.namespace(), name);
            if (route == null) {
                continue;
            }
            Set<String> controllers = RouteAcceptance.controllers(GatewayApiObjects.tree(route));
            if (controllers.isEmpty()) {
                unreported.add(name);
            } else if (!RouteAcceptance.byIstio(controllers)) {
                others.add(name + " (" + String.join(", ", controllers) + ")");
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

    @Override
    public boolean detachOwners(TrafficTarget t) {
        return false; // no Serin ever set an ownerReference on these Services
    }
}
