package dev.serin.traffic.istio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.cluster.ClusterCache;
import dev.serin.cluster.IstioApi;
import dev.serin.cluster.IstioResources;
import dev.serin.config.SerinConfig;
import dev.serin.traffic.BackendWords;
import dev.serin.traffic.Outcome;
import dev.serin.traffic.OwnedFields;
import dev.serin.traffic.Refusal;
import dev.serin.traffic.RouteFold;
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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * Splits traffic with Istio: subsets in a DestinationRule, weights in VirtualService routes (written by
 * {@link IstioWriter}). Served when the cluster serves a networking.istio.io version {@link IstioApi} supports.
 * With serin.istio.percent-weights it writes whole percents summing to 100 only.
 */
@ApplicationScoped
public class IstioRouter implements TrafficRouter {
    public static final String NOT_SERVED = "IstioNotServed";
    private static final BackendWords WORDS = new BackendWords("subsets", "the stable subset", "WaitingForSubsets");

    private final ClusterCache cache;
    private final IstioApi istio;
    private final IstioWriter writer;
    private final IstioLeftovers leftovers;
    private final boolean percentWeights;

    @Inject
    public IstioRouter(ClusterCache cache, IstioApi istio, IstioWriter writer, IstioLeftovers leftovers,
            SerinConfig config) {
        this(cache, istio, writer, leftovers, config.istio().percentWeights());
    }

    /** With serin.istio.percent-weights of its own (tests that need another than the shared test configuration's). */
    IstioRouter(ClusterCache cache, IstioApi istio, IstioWriter writer, IstioLeftovers leftovers, boolean percentWeights) {
        this.cache = cache;
        this.istio = istio;
        this.writer = writer;
        this.leftovers = leftovers;
        this.percentWeights = percentWeights;
    }

    @Override
    public String dialect() {
        return TrafficTargets.ISTIO;
    }

    @Override
    public boolean discover() {
        return istio.decide();
    }

    @Override
    public boolean rediscover() {
        return istio.recheck();
    }

    @Override
    public boolean served() {
        return istio.version().isPresent();
    }

    @Override
    public boolean absent() {
        return istio.absent();
    }

    @Override
    public Optional<String> problem() {
        return istio.problem();
    }

    @Override
    public String notServedReason() {
        return NOT_SERVED;
    }

    @Override
    public List<WatchedKind> watched() {
        IstioResources kinds = istio.resources();
        return List.of(
                new WatchedKind(kinds.virtualServices(), related((routes, name) -> routes.names().contains(name))),
                new WatchedKind(kinds.destinationRules(), related((routes, name) -> name.equals(routes.rule()))));
    }

    /** The live Istio Canaries that name the object, and the Canaries whose marks it bears. */
    private java.util.function.BiFunction<GenericKubernetesResource, List<Canary>, Set<String>> related(
            BiPredicate<Routes, String> names) {
        return (object, canaries) -> {
            Set<String> related = new TreeSet<>(leftovers.canariesMarkedOn(object));
            for (Canary canary : canaries) {
                Routes routes = TrafficTargets.routes(canary);
                if (canary.getSpec() != null && dialect().equals(routes.dialect())
                        && names.test(routes, object.getMetadata().getName())) {
                    related.add(canary.getMetadata().getName());
                }
            }
            return related;
        };
    }

    @Override
    public Optional<Refusal> checkWeight(Weight weight) {
        if (percentWeights && !weight.isWholePercent()) {
            return Optional.of(new Refusal("FractionalWeightUnsupported", "spec.weight " + weight
                    + " is not a whole percent, and serin.istio.percent-weights is on (whole percents summing to 100)"));
        }
        return Optional.empty();
    }

    @Override
    public Optional<Refusal> checkRoutes(TrafficTarget t, RouteState routes) {
        if (routes.withoutRoute().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Refusal("NoRouteForHost", "VirtualService " + String.join(", ", routes.withoutRoute())
                + " has no HTTP, TLS or TCP route to host " + t.host()));
    }

    @Override
    public Outcome<Split> split(Weight weight) {
        return percentWeights ? Split.percent(weight) : Outcome.of(Split.relative(weight));
    }

    @Override
    public Weight floor(Weight weight) {
        return percentWeights ? new Weight(weight.basisPoints() - weight.basisPoints() % 100) : weight;
    }

    @Override
    public RouteState observe(TrafficTarget t) {
        GenericKubernetesResource rule = cache.destinationRule(t.namespace(), t.routes().rule());
        boolean subsetsReady = rule != null && t.stableVersion() != null
                && DestinationRuleSubsets.has(IstioWriter.tree(rule), t.canary(), t.versionLabel(), t.stableVersion(),
                        t.canaryVersion(), writer.subsetPolicy(t, IstioWriter.tree(rule)));
        RouteFold fold = new RouteFold();
        List<JsonNode> seenServices = new ArrayList<>();
        for (String name : t.routes().names()) {
            GenericKubernetesResource vs = cache.virtualService(t.namespace(), name);
            if (vs == null) {
                fold.missing(name);
                continue;
            }
            seenServices.add(IstioWriter.tree(vs));
            VirtualServiceRoutes.Observation seen = VirtualServiceRoutes.observe(IstioWriter.tree(vs), t.canary(), t.host());
            fold.testerRoutes(seen.testerRoutes());
            fold.source(name, seen.routes(), seen.splitRoutes(), seen.splits(), seen.unmatchedSplits(), seen.unmatched());
        }
        return fold.state(subsetsReady, split -> seenServices.stream()
                        .allMatch(vs -> VirtualServiceRoutes.carries(vs, t.canary(), t.host(), split, t.testers())),
                split -> seenServices.stream()
                        .map(vs -> VirtualServiceRoutes.withSplit(vs, t.canary(), t.host(), split).refusal())
                        .filter(Objects::nonNull).findFirst(),
                split -> seenServices.stream().allMatch(vs -> VirtualServiceRoutes.carries(
                        TesterRoutes.bare(vs, t.host()), t.canary(), t.host(), split, Testers.NONE)));
    }

    @Override
    public Optional<Instant> backendsChangedAt(TrafficTarget t) {
        GenericKubernetesResource rule = t.routes().rule() == null ? null
                : cache.destinationRule(t.namespace(), t.routes().rule());
        return rule == null ? Optional.empty()
                : ChangeStamps.read(IstioWriter.tree(rule), ChangeStamps.SUBSETS_CHANGED_AT, t.canary());
    }

    @Override
    public Optional<Instant> routesChangedAt(TrafficTarget t) {
        Optional<Instant> latest = Optional.empty();
        for (String name : t.routes().names()) {
            GenericKubernetesResource vs = cache.virtualService(t.namespace(), name);
            Optional<Instant> at = vs == null ? Optional.empty()
                    : ChangeStamps.read(IstioWriter.tree(vs), ChangeStamps.ROUTES_CHANGED_AT, t.canary());
            if (at.isPresent() && (latest.isEmpty() || at.get().isAfter(latest.get()))) {
                latest = at;
            }
        }
        return latest;
    }

    @Override
    public OwnedFields routeFields(TrafficTarget t) {
        List<HasMetadata> objects = new ArrayList<>();
        t.routes().names().stream().map(name -> cache.virtualService(t.namespace(), name))
                .filter(Objects::nonNull).forEach(objects::add);
        return new OwnedFields("routes Serin wrote in " + describeRoutes(t), objects, "f:http");
    }

    @Override
    public OwnedFields backendFields(TrafficTarget t) {
        List<HasMetadata> objects = new ArrayList<>();
        Optional.ofNullable(t.routes().rule() == null ? null : cache.destinationRule(t.namespace(), t.routes().rule()))
                .ifPresent(objects::add);
        return new OwnedFields("subsets Serin wrote in DestinationRule " + t.routes().rule(), objects, "f:subsets");
    }

    @Override
    public String describeRoutes(TrafficTarget t) {
        return "VirtualService " + String.join(", ", t.routes().names());
    }

    @Override
    public BackendWords words() {
        return WORDS;
    }

    @Override
    public boolean canTake(TrafficTarget target, Split split) {
        return true; // a subset selects the pods as they become ready; backendsReady covered the subsets themselves
    }

    @Override
    public Optional<String> withoutIstioMetrics(TrafficTarget target) {
        return Optional.empty(); // Istio's own routes: its sidecars count the traffic
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
    public boolean detachOwners(TrafficTarget t) {
        return writer.detachOwners(t);
    }
}
