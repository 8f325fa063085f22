package dev.serin.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Istio's VirtualService and DestinationRule at one version of networking.istio.io, handled as generic resources so
 * that every field a user wrote, including ones newer than our model classes, survives a read-modify-write byte for
 * byte. Which version the cluster serves is {@link IstioApi}'s decision; only tests and the playground, which know
 * what their API server serves, pick one themselves.
 */
public final class IstioResources {
    public static final String GROUP = "networking.istio.io";

    private final String version;
    private final ResourceDefinitionContext virtualServices;
    private final ResourceDefinitionContext destinationRules;

    private IstioResources(String version) {
        this.version = version;
        this.virtualServices = context(version, "VirtualService", "virtualservices");
        this.destinationRules = context(version, "DestinationRule", "destinationrules");
    }

    /** The kinds at {@code version}, e.g. "v1" or "v1beta1". */
    public static IstioResources at(String version) {
        return new IstioResources(version);
    }

    public String version() {
        return version;
    }

    /** The objects' {@code apiVersion}, e.g. "networking.istio.io/v1". */
    public String apiVersion() {
        return GROUP + "/" + version;
    }

    public ResourceDefinitionContext virtualServices() {
        return virtualServices;
    }

    public ResourceDefinitionContext destinationRules() {
        return destinationRules;
    }

    @Override
    public String toString() {
        return apiVersion();
    }

    private static ResourceDefinitionContext context(String version, String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup(GROUP)
                .withVersion(version)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }
}
