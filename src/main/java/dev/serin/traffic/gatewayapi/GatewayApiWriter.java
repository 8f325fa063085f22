package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.serin.cluster.GatewayApi;
import dev.serin.cluster.MadeFor;
import dev.serin.traffic.JsonAnnotations;
import dev.serin.traffic.Outcome;
import dev.serin.traffic.Split;
import dev.serin.traffic.Testers;
import dev.serin.traffic.TrafficTarget;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Gateway API router's writes: the Canary's two Services, and the backendRefs of the HTTPRoute rules to the host.
 * Writes are optimistic updates (the cached resourceVersion), so a concurrent edit gives a 409 and the caller retries
 * from fresh state. A route names a Service only once it has ready endpoints; each write stamps when.
 */
@ApplicationScoped
public class GatewayApiWriter {
    /** When Serin last changed the Canary's Services, on the Services themselves. */
    static final String SERVICES_CHANGED_AT = "serin.dev/services-changed-at";

    private final KubernetesClient client;
    private final GatewayApiObjects objects;
    private final Clock clock;

    public GatewayApiWriter(KubernetesClient client, GatewayApiObjects objects, Clock clock) {
        this.client = client;
        this.objects = objects;
        this.clock = clock;
    }

    /** The two Services the Canary's routes name, as they should be; empty without the target Service's selector. */
    Optional<List<Service>> desiredServices(TrafficTarget t) {
        Service target = objects.service(t.namespace(), HostBackends.serviceName(t.host(), t.namespace()));
        if (target == null || t.stableVersion() == null) {
            return Optional.empty();
        }
        Optional<Service> stable = CanaryServices.desired(target, ServiceNames.stable(t.canary()), t.canary(),
                t.versionLabel(), t.stableVersion());
        Optional<Service> canary = CanaryServices.desired(target, ServiceNames.canary(t.canary()), t.canary(),
                t.versionLabel(), t.canaryVersion());
        return stable.isEmpty() || canary.isEmpty() ? Optional.empty() : Optional.of(List.of(stable.get(), canary.get()));
    }

    /** Creates or corrects the two Services; never touches a Service of that name that Serin did not make. */
    public boolean prepareBackends(TrafficTarget t) {
        Optional<List<Service>> desired = desiredServices(t);
        if (desired.isEmpty()) {
            return false;
        }
        boolean wrote = false;
        for (Service want : desired.get()) {
            Service live = objects.service(t.namespace(), want.getMetadata().getName());
            if (live == null) {
                objects.wrote(null, client.services().inNamespace(t.namespace()).resource(stamped(want)).create());
                wrote = true;
            } else if (MadeFor.canary(live, t.canary()) && !CanaryServices.matches(live, want)) {
                objects.wrote(live, client.services().inNamespace(t.namespace())
                        .resource(stamped(CanaryServices.updated(live, want))).update());
                wrote = true;
            }
        }
        return wrote;
    }

    /**
     * Writes the split into every listed route's rules to the host; every route or none. Refused when the weights
     * would not fit a rule; nothing written (false) while a Service the split names has no ready endpoint.
     */
    public Outcome<Boolean> applySplit(TrafficTarget t, Split split) {
        if (!canTake(t, split)) {
            return Outcome.of(false); // an EndpointSlice event brings the next pass
        }
        List<ObjectNode> current = new ArrayList<>();
        List<ObjectNode> written = new ArrayList<>();
        for (GatewayApiObjects.ListedRoute route : objects.listedRoutes(t)) {
            ObjectNode tree = route.tree();
            Outcome<ObjectNode> split1 = HttpRouteRules.withSplit(tree, t.canary(), t.host(), split, testers(t));
            if (split1.refused()) {
                return Outcome.refused(split1.refusal().reason(), split1.refusal().message());
            }
            current.add(tree);
            written.add(split1.value());
        }
        boolean wrote = false;
        for (int i = 0; i < current.size(); i++) {
            if (!current.get(i).equals(written.get(i))) {
                ObjectNode desired = written.get(i);
                JsonAnnotations.putEntry(desired, HttpRouteRules.ROUTES_CHANGED_AT, t.canary(),
                        TextNode.valueOf(clock.instant().toString()));
                update(t, desired);
                wrote = true;
            }
        }
        return Outcome.of(wrote);
    }

    /** Every Service the split gives a share has a ready endpoint. */
    boolean canTake(TrafficTarget t, Split split) {
        return (split.stable() == 0 || objects.readyEndpoints(t.namespace(), ServiceNames.stable(t.canary())) > 0)
                && (split.canary() == 0 || objects.readyEndpoints(t.namespace(), ServiceNames.canary(t.canary())) > 0);
    }

    /**
     * The testers a write gives the routes: the Canary's, once {@code <name>-canary} has a ready endpoint (its pods
     * being ready is not enough: a request a rule sends to a Service without endpoints finds no pod), else none.
     */
    Testers testers(TrafficTarget t) {
        return t.testers().isEmpty() || objects.readyEndpoints(t.namespace(), ServiceNames.canary(t.canary())) > 0
                ? t.testers() : Testers.NONE;
    }

    /** Puts every listed route's split rules back, byte for byte, and removes Serin's annotations. */
    public boolean restoreRoutes(TrafficTarget t) {
        boolean wrote = false;
        for (GatewayApiObjects.ListedRoute route : objects.listedRoutes(t)) {
            ObjectNode restored = HttpRouteRules.restored(route.tree(), t.canary(), t.host());
            if (!route.tree().equals(restored)) {
                update(t, restored);
                wrote = true;
            }
        }
        return wrote;
    }

    /** Deletes the Canary's two Services (only those labelled for it). Routes must be restored and settled first. */
    public boolean removeBackends(TrafficTarget t) {
        boolean wrote = false;
        for (String name : List.of(ServiceNames.stable(t.canary()), ServiceNames.canary(t.canary()))) {
            Service live = objects.service(t.namespace(), name);
            if (live != null && MadeFor.canary(live, t.canary())) {
                client.services().inNamespace(t.namespace()).resource(live).delete();
                objects.deleted(live);
                wrote = true;
            }
        }
        return wrote;
    }

    private void update(TrafficTarget t, ObjectNode desired) {
        objects.wroteRoute(desired.path("metadata").path("resourceVersion").asText(null),
                client.genericKubernetesResources(GatewayApi.HTTP_ROUTES).inNamespace(t.namespace())
                        .resource(GatewayApiObjects.resource(desired)).update());
    }

    private Service stamped(Service service) {
        return new ServiceBuilder(service).editMetadata()
                .addToAnnotations(SERVICES_CHANGED_AT, clock.instant().toString()).endMetadata().build();
    }
}
