package dev.serin.traffic.istio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.cluster.ClusterCache;
import dev.serin.cluster.MadeFor;
import dev.serin.traffic.CanaryRef;
import dev.serin.traffic.Routes;
import dev.serin.traffic.TrafficLeftovers;
import dev.serin.traffic.TrafficTarget;
import dev.serin.traffic.TrafficTargets;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A Canary's marks on VirtualServices and DestinationRules: the label on those Serin created, the original routes
 * and split host on the VirtualServices it split, the added subsets on the DestinationRule it changed.
 */
@ApplicationScoped
public class IstioLeftovers implements TrafficLeftovers {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final ClusterCache cache;

    public IstioLeftovers(ClusterCache cache) {
        this.cache = cache;
    }

    @Override
    public Set<String> canariesMarkedOn(GenericKubernetesResource object) {
        Set<String> names = new TreeSet<>();
        String label = MadeFor.canary(object);
        if (label != null) {
            names.add(label);
        }
        JsonNode tree = tree(object);
        names.addAll(VirtualServiceRoutes.canaries(tree));
        names.addAll(DestinationRuleSubsets.canaries(tree));
        return names;
    }

    @Override
    public Set<String> canariesMarkedOn(TrafficTarget target) {
        Set<String> names = new TreeSet<>();
        for (String name : target.routes().names()) {
            GenericKubernetesResource vs = cache.virtualService(target.namespace(), name);
            if (vs != null) {
                names.addAll(canariesMarkedOn(vs));
            }
        }
        GenericKubernetesResource rule = target.routes().rule() == null ? null
                : cache.destinationRule(target.namespace(), target.routes().rule());
        if (rule != null) {
            names.addAll(canariesMarkedOn(rule));
        }
        return names;
    }

    @Override
    public Set<CanaryRef> markedCanaries() {
        Set<CanaryRef> marked = new HashSet<>();
        Stream.concat(cache.allVirtualServices().stream(), cache.allDestinationRules().stream()).forEach(object ->
                canariesMarkedOn(object).forEach(name -> marked.add(
                        new CanaryRef(object.getMetadata().getNamespace(), name))));
        return marked;
    }

    @Override
    public Optional<TrafficTarget> leftovers(String namespace, String canary) {
        List<String> services = new ArrayList<>();
        String host = null;
        for (GenericKubernetesResource vs : cache.virtualServices(namespace)) {
            JsonNode tree = tree(vs);
            if (MadeFor.canary(vs, canary) || VirtualServiceRoutes.canaries(tree).contains(canary)) {
                services.add(vs.getMetadata().getName());
                host = host != null ? host : VirtualServiceRoutes.splitHost(tree, canary);
            }
        }
        // one rule per Canary; should there be more, the next pass finds the next
        GenericKubernetesResource rule = cache.destinationRules(namespace).stream()
                .filter(r -> MadeFor.canary(r, canary) || DestinationRuleSubsets.canaries(tree(r)).contains(canary))
                .findFirst().orElse(null);
        if (services.isEmpty() && rule == null) {
            return Optional.empty();
        }
        if (host == null && rule != null) {
            host = tree(rule).path("spec").path("host").asText(null); // a created VirtualService whose routes are back
        }
        services.sort(null);
        return Optional.of(new TrafficTarget(namespace, canary, host, new Routes(TrafficTargets.ISTIO,
                services, rule == null ? null : rule.getMetadata().getName()), null, null, null));
    }

    private static JsonNode tree(GenericKubernetesResource resource) {
        return JSON.convertValue(resource, JsonNode.class);
    }
}
