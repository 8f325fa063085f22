package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.cluster.ClusterCache;
import dev.serin.cluster.GatewayApi;
import dev.serin.traffic.JsonAnnotations;
import dev.serin.traffic.TrafficTarget;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/** The Gateway API router's reads from the caches: HTTPRoutes as JSON, Services and EndpointSlices typed. */
@ApplicationScoped
public class GatewayApiObjects {
    static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final ClusterCache cache;

    public GatewayApiObjects(ClusterCache cache) {
        this.cache = cache;
    }

    public GenericKubernetesResource route(String namespace, String name) {
        return cache.get(GatewayApi.HTTP_ROUTES.getPlural(), GatewayApi.GROUP, namespace, name);
    }

    /** One of a target's listed routes that exists, as a {@link #tree}. */
    record ListedRoute(String name, ObjectNode tree) {
    }

    /** The target's listed routes that exist, in the listed order. */
    List<ListedRoute> listedRoutes(TrafficTarget t) {
        List<ListedRoute> found = new ArrayList<>();
        for (String name : t.routes().names()) {
            GenericKubernetesResource route = route(t.namespace(), name);
            if (route != null) {
                found.add(new ListedRoute(name, tree(route)));
            }
        }
        return found;
    }

    public List<GenericKubernetesResource> routes(String namespace) {
        return cache.list(GatewayApi.HTTP_ROUTES.getPlural(), GatewayApi.GROUP, namespace);
    }

    public List<GenericKubernetesResource> allRoutes() {
        return cache.all(GatewayApi.HTTP_ROUTES.getPlural(), GatewayApi.GROUP);
    }

    public Service service(String namespace, String name) {
        GenericKubernetesResource found = cache.get(GatewayApi.SERVICES.getPlural(), "", namespace, name);
        return found == null ? null : JSON.convertValue(found, Service.class);
    }

    /** Serin created ({@code replaced} null) or updated a Service: reads see the write until the cache shows it. */
    public void wrote(Service replaced, Service written) {
        cache.wrote(GatewayApi.SERVICES, replaced == null ? null : replaced.getMetadata().getResourceVersion(),
                JSON.convertValue(written, GenericKubernetesResource.class));
    }

    public void deleted(Service deleted) {
        cache.deleted(GatewayApi.SERVICES, deleted);
    }

    /** Serin updated an HTTPRoute over version {@code replaced}. */
    public void wroteRoute(String replaced, GenericKubernetesResource written) {
        cache.wrote(GatewayApi.HTTP_ROUTES, replaced, written);
    }

    public List<GenericKubernetesResource> allServices() {
        return cache.all(GatewayApi.SERVICES.getPlural(), "");
    }

    public int readyEndpoints(String namespace, String service) {
        List<EndpointSlice> slices = cache.list(GatewayApi.ENDPOINT_SLICES.getPlural(),
                GatewayApi.ENDPOINT_SLICES.getGroup(), namespace).stream()
                .map(s -> JSON.convertValue(s, EndpointSlice.class)).toList();
        return EndpointReadiness.readyEndpoints(slices, service);
    }

    /**
     * The object as JSON parsed the way the bookkeeping annotations are parsed, so a weight from the cache and one from
     * a recorded original compare equal (the cache's maps may hold a number as Long, giving a LongNode).
     */
    static ObjectNode tree(GenericKubernetesResource resource) {
        try {
            return (ObjectNode) JsonAnnotations.JSON.readTree(JSON.asJson(resource));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static GenericKubernetesResource resource(ObjectNode tree) {
        return JSON.convertValue(tree, GenericKubernetesResource.class);
    }
}
