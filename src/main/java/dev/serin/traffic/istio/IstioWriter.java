package dev.serin.traffic.istio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.cluster.ClusterCache;
import dev.serin.cluster.IstioApi;
import dev.serin.cluster.IstioResources;
import dev.serin.cluster.MadeFor;
import dev.serin.traffic.JsonAnnotations;
import dev.serin.traffic.Outcome;
import dev.serin.traffic.RouteState;
import dev.serin.traffic.Split;
import dev.serin.traffic.TrafficRouter;
import dev.serin.traffic.TrafficTarget;
import dev.serin.traffic.Weight;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Istio router's writes: subsets in a DestinationRule, weights in VirtualService routes. Reads from the informer
 * caches; writes are optimistic updates (the cached resourceVersion), so a concurrent edit gives a 409 and the caller
 * retries from fresh state rather than overwriting it. Every request uses the networking.istio.io version
 * {@link IstioApi} decided. Each write that changes subsets or routes also stamps when ({@link ChangeStamps}).
 */
@ApplicationScoped
public class IstioWriter {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesClient client;
    private final ClusterCache cache;
    private final IstioApi istio;
    private final Clock clock;

    public IstioWriter(KubernetesClient client, ClusterCache cache, IstioApi istio, Clock clock) {
        this.client = client;
        this.clock = clock;
        this.cache = cache;
        this.istio = istio;
    }

    public boolean prepareBackends(TrafficTarget t) {
        GenericKubernetesResource rule = cache.destinationRule(t.namespace(), t.routes().rule());
        if (rule == null) {
            IstioResources kinds = istio.resources();
            ObjectNode minimal = DestinationRuleSubsets.minimal(kinds.apiVersion(), t.routes().rule(), t.namespace(),
                    t.host());
            ObjectNode created = DestinationRuleSubsets.withSubsets(labelled(minimal, t.canary()),
                    t.canary(), t.versionLabel(), t.stableVersion(), t.canaryVersion());
            ChangeStamps.stamp(created, ChangeStamps.SUBSETS_CHANGED_AT, t.canary(), clock.instant());
            cache.wrote(kinds.destinationRules(), null,
                    resources(kinds.destinationRules(), t).resource(resource(created)).create());
            return true;
        }
        ObjectNode current = tree(rule);
        return update(istio.resources().destinationRules(), t, current, DestinationRuleSubsets.withSubsets(
                current, t.canary(), t.versionLabel(), t.stableVersion(), t.canaryVersion(), subsetPolicy(t, current)),
                ChangeStamps.SUBSETS_CHANGED_AT);
    }

    /**
     * The trafficPolicy the stable and canary subsets inherit: that of the first subset of the host the listed
     * VirtualServices' routes named before the Canary (LEAST_REQUEST on subset v1 stays LEAST_REQUEST), or null.
     */
    JsonNode subsetPolicy(TrafficTarget t, JsonNode rule) {
        List<String> named = new ArrayList<>();
        for (String name : t.routes().names()) {
            GenericKubernetesResource vs = cache.virtualService(t.namespace(), name);
            if (vs != null) {
                named.addAll(VirtualServiceRoutes.userSubsets(tree(vs), t.canary(), t.host()));
            }
        }
        return DestinationRuleSubsets.policyOf(rule, named);
    }

    public Outcome<Boolean> applySplit(TrafficTarget t, Split split) {
        // every listed VirtualService or none: one whose weights would pass int32 holds the others back too
        List<ObjectNode> current = new ArrayList<>();
        List<Outcome<ObjectNode>> written = new ArrayList<>();
        for (String name : t.routes().names()) {
            GenericKubernetesResource vs = cache.virtualService(t.namespace(), name);
            ObjectNode tree = vs == null ? null : tree(vs);
            current.add(tree);
            written.add(tree == null ? null
                    : VirtualServiceRoutes.withSplit(tree, t.canary(), t.host(), split, t.testers()));
        }
        Optional<Outcome<ObjectNode>> refused = written.stream().filter(w -> w != null && w.refused()).findFirst();
        if (refused.isPresent()) {
            return refused.get().map(w -> false);
        }
        boolean wrote = false;
        for (int i = 0; i < current.size(); i++) {
            if (current.get(i) == null) {
                IstioResources kinds = istio.resources();
                ObjectNode minimal = VirtualServiceRoutes.minimal(kinds.apiVersion(), t.routes().names().get(i),
                        t.namespace(), t.host());
                ObjectNode created = VirtualServiceRoutes.withSplit(labelled(minimal, t.canary()), t.canary(), t.host(),
                        split, t.testers()).orElseThrow(); // one destination: nothing to scale
                ChangeStamps.stamp(created, ChangeStamps.ROUTES_CHANGED_AT, t.canary(), clock.instant());
                cache.wrote(kinds.virtualServices(), null,
                        resources(kinds.virtualServices(), t).resource(resource(created)).create());
                wrote = true;
            } else {
                wrote |= update(istio.resources().virtualServices(), t, current.get(i), written.get(i).value(),
                        ChangeStamps.ROUTES_CHANGED_AT);
            }
        }
        return Outcome.of(wrote);
    }

    public boolean restoreRoutes(TrafficTarget t) {
        boolean wrote = false;
        for (String name : t.routes().names()) {
            GenericKubernetesResource vs = cache.virtualService(t.namespace(), name);
            if (vs != null) {
                ObjectNode current = tree(vs);
                // the original comes back byte for byte: a sweep of a gone Canary finds no mark on it afterwards
                ObjectNode restored = VirtualServiceRoutes.restored(current, t.canary(), t.host());
                ChangeStamps.clear(restored, ChangeStamps.ROUTES_CHANGED_AT, t.canary());
                wrote |= update(istio.resources().virtualServices(), t, current, restored);
            }
        }
        return wrote;
    }

    public boolean removeBackends(TrafficTarget t) {
        boolean wrote = false;
        for (String name : t.routes().names()) {
            GenericKubernetesResource vs = cache.virtualService(t.namespace(), name);
            if (vs != null && MadeFor.canary(vs, t.canary())) {
                resources(istio.resources().virtualServices(), t).resource(vs).delete();
                cache.deleted(istio.resources().virtualServices(), vs);
                wrote = true;
            } else if (vs != null) { // the last of the Canary's marks on the route: the original comes back byte for byte
                ObjectNode current = tree(vs);
                ObjectNode unstamped = current.deepCopy();
                ChangeStamps.clear(unstamped, ChangeStamps.ROUTES_CHANGED_AT, t.canary());
                wrote |= update(istio.resources().virtualServices(), t, current, unstamped);
            }
        }
        GenericKubernetesResource rule = t.routes().rule() == null ? null
                : cache.destinationRule(t.namespace(), t.routes().rule());
        if (rule == null) {
            return wrote;
        }
        if (MadeFor.canary(rule, t.canary())) {
            resources(istio.resources().destinationRules(), t).resource(rule).delete();
            cache.deleted(istio.resources().destinationRules(), rule);
            return true;
        }
        ObjectNode current = tree(rule);
        ObjectNode without = DestinationRuleSubsets.withoutSubsets(current, t.canary());
        ChangeStamps.clear(without, ChangeStamps.SUBSETS_CHANGED_AT, t.canary());
        return update(istio.resources().destinationRules(), t, current, without) || wrote;
    }

    public boolean detachOwners(TrafficTarget t) {
        boolean wrote = false;
        for (String name : t.routes().names()) {
            wrote |= detach(istio.resources().virtualServices(), t, cache.virtualService(t.namespace(), name));
        }
        return detach(istio.resources().destinationRules(), t, cache.destinationRule(t.namespace(), t.routes().rule()))
                || wrote;
    }

    private boolean detach(ResourceDefinitionContext kind, TrafficTarget t, GenericKubernetesResource made) {
        if (made == null || !MadeFor.hasLegacyOwner(made, t.canary())) {
            return false;
        }
        ObjectNode desired = tree(made);
        var kept = MadeFor.withoutLegacyOwner(made, t.canary());
        if (kept == null) {
            desired.with("metadata").remove("ownerReferences");
        } else {
            desired.with("metadata").set("ownerReferences", JSON.convertValue(kept, JsonNode.class));
        }
        return update(kind, t, tree(made), labelled(desired, t.canary()));
    }

    /** Writes {@code desired} when it differs, stamping the change in {@code stamp} (an annotation) when given. */
    private boolean update(ResourceDefinitionContext kind, TrafficTarget t, ObjectNode current, ObjectNode desired,
            String stamp) {
        if (current.equals(desired)) {
            return false;
        }
        ChangeStamps.stamp(desired, stamp, t.canary(), clock.instant());
        return update(kind, t, current, desired);
    }

    private boolean update(ResourceDefinitionContext kind, TrafficTarget t, ObjectNode current, ObjectNode desired) {
        if (current.equals(desired)) {
            return false;
        }
        cache.wrote(kind, current.path("metadata").path("resourceVersion").asText(null),
                resources(kind, t).resource(resource(desired)).update());
        return true;
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> resources(
            ResourceDefinitionContext kind, TrafficTarget t) {
        return client.genericKubernetesResources(kind).inNamespace(t.namespace());
    }

    /** Marks an object Serin creates as made for the Canary (never with an ownerReference: see {@link MadeFor}). */
    private static ObjectNode labelled(ObjectNode resource, String canary) {
        resource.with("metadata").with("labels").put(Canary.CANARY_LABEL, canary);
        return resource;
    }

    /**
     * The object as JSON parsed the way the bookkeeping annotations are parsed, so a weight or port from the cache and
     * one from a recorded original compare equal (the cache's maps may hold a number as Long, giving a LongNode).
     */
    static ObjectNode tree(GenericKubernetesResource resource) {
        try {
            return (ObjectNode) JsonAnnotations.JSON.readTree(JSON.asJson(resource));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static GenericKubernetesResource resource(ObjectNode tree) {
        return JSON.convertValue(tree, GenericKubernetesResource.class);
    }
}
