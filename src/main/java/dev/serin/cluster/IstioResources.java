package dev.serin.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Istio's networking.istio.io/v1 kinds, handled as generic resources so that every field a user wrote,
 * including ones newer than our model classes, survives a read-modify-write byte for byte.
 */
public final class IstioResources {
    public static final ResourceDefinitionContext VIRTUAL_SERVICES = context("VirtualService", "virtualservices");
    public static final ResourceDefinitionContext DESTINATION_RULES = context("DestinationRule", "destinationrules");

    private IstioResources() {
    }

    private static ResourceDefinitionContext context(String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup("networking.istio.io")
                .withVersion("v1")
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }
}
