package dev.serin.strict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.playground.Discovery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the strict server serves: the built-in kinds Serin and its tests use, and the group versions of the CRDs
 * installed at start (Serin's own, Istio's as a given Istio release ships them, Gateway API's HTTPRoute as a given
 * Gateway API release ships it). A group version no CRD serves
 * is a 404, as on a real cluster: Serin asking for networking.istio.io/v1 on Istio 1.21 fails here as it did there.
 */
public final class ApiCatalog {
    /** One served resource: what the dispatcher needs to route, validate and answer for it. */
    public record Served(String group, String version, String plural, String kind, boolean namespaced,
            boolean statusSubresource) {
        public String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }
    }

    private final Map<String, List<Discovery.Resource>> groupVersions;

    /**
     * With {@code istioFromCrds} false, networking.istio.io/v1 is served schema-less beside the CRDs; with it true,
     * Istio's group is served only as far as the CRDs say (not at all when none of them is Istio's).
     */
    public ApiCatalog(List<JsonNode> crds, boolean istioFromCrds) {
        Map<String, List<Discovery.Resource>> all = new LinkedHashMap<>(Discovery.groupVersions(crds, !istioFromCrds));
        // built in on every cluster, beside what the playground's discovery lists
        all.put("discovery.k8s.io/v1", List.of(new Discovery.Resource("endpointslices", "endpointslice", "EndpointSlice",
                true)));
        this.groupVersions = all;
    }

    public Map<String, List<Discovery.Resource>> groupVersions() {
        return groupVersions;
    }

    public Optional<Served> served(String group, String version, String plural) {
        String gv = group == null || group.isEmpty() ? version : group + "/" + version;
        List<Discovery.Resource> resources = groupVersions.get(gv);
        if (resources == null) {
            return Optional.empty();
        }
        boolean status = resources.stream().anyMatch(r -> r.name().equals(plural + "/status"));
        return resources.stream().filter(r -> r.name().equals(plural)).findFirst()
                .map(r -> new Served(group == null ? "" : group, version, plural, r.kind(), r.namespaced(), status));
    }

    /** The served resource of a kind in an apiVersion ("apps/v1", "v1"), for objects named by ownerReferences. */
    public Optional<Served> byKind(String apiVersion, String kind) {
        List<Discovery.Resource> resources = groupVersions.get(apiVersion);
        if (resources == null) {
            return Optional.empty();
        }
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        return resources.stream().filter(r -> r.kind().equals(kind) && !r.name().contains("/")).findFirst()
                .flatMap(r -> served(group, version, r.name()));
    }

    /** Every served resource that holds objects (no subresources, no review kinds). */
    public List<Served> storedKinds() {
        return groupVersions.entrySet().stream()
                .flatMap(e -> e.getValue().stream().filter(r -> !r.name().contains("/") && !r.name().endsWith("reviews"))
                        .map(r -> {
                            int slash = e.getKey().indexOf('/');
                            return served(slash < 0 ? "" : e.getKey().substring(0, slash),
                                    e.getKey().substring(slash + 1), r.name()).orElseThrow();
                        }))
                .toList();
    }

    /** The collection path of a served resource in a namespace (null for cluster-scoped ones). */
    public static String collectionPath(Served served, String namespace) {
        String base = served.group().isEmpty() ? "/api/" + served.version() : "/apis/" + served.group() + "/" + served.version();
        return (served.namespaced() ? base + "/namespaces/" + namespace : base) + "/" + served.plural();
    }
}
