package dev.serin.cluster;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which networking.istio.io version Serin uses, from what the API server serves: v1 (Istio 1.22 and later), else
 * v1beta1 (older Istio). v1alpha3 alone is refused. VirtualService and DestinationRule have the same schema at v1
 * and v1beta1 for every field Serin reads and writes, so only the version in the path and apiVersion changes.
 */
final class IstioVersions {
    /** In order of preference. */
    static final List<String> SUPPORTED = List.of("v1", "v1beta1");
    static final List<String> KINDS = List.of("virtualservices", "destinationrules");
    static final String MISSING = IstioResources.GROUP + "/v1 or v1beta1 VirtualService and DestinationRule are not "
            + "served by this cluster: install Istio 1.22 or later (v1), or an older Istio that serves v1beta1 "
            + "(1.21 does)";

    private IstioVersions() {
    }

    /**
     * The first supported version that serves both VirtualServices and DestinationRules.
     *
     * @param resourcesByVersion for each version the API server serves, the resource names (plurals) it lists
     */
    static Optional<String> choose(Map<String, ? extends Collection<String>> resourcesByVersion) {
        return SUPPORTED.stream()
                .filter(v -> resourcesByVersion.containsKey(v) && resourcesByVersion.get(v).containsAll(KINDS))
                .findFirst();
    }
}
