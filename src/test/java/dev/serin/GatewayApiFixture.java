package dev.serin;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.TrafficSpec;
import dev.serin.strict.GatewayImplementation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;

/** A Gateway API app for scenario tests: Deployment and Service {@code api}, and HTTPRoute {@code api} to them. */
public final class GatewayApiFixture {
    private GatewayApiFixture() {
    }

    /**
     * Deployment {@code api} of {@code replicas} ready pods (app=api, version=v1), Service {@code api} (port 80 to
     * 8080) selecting them, and HTTPRoute {@code api} with {@code routeSpec}.
     */
    public static void apiBehindHttpRoute(Fixture f, int replicas, String routeSpec) {
        f.deployment("api", replicas, Map.of("app", "api", "version", "v1"));
        f.markReady("api");
        f.client.services().inNamespace(f.namespace).resource(new ServiceBuilder().withNewMetadata().withName("api")
                .endMetadata().withNewSpec().withSelector(Map.of("app", "api"))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort()
                .endSpec().build()).create();
        GenericKubernetesResource route = new GenericKubernetesResource();
        route.setApiVersion("gateway.networking.k8s.io/v1");
        route.setKind("HTTPRoute");
        route.setMetadata(new ObjectMetaBuilder().withName("api").withNamespace(f.namespace).build());
        route.setAdditionalProperty("spec", Fixture.JSON.unmarshal(routeSpec, Map.class));
        f.client.genericKubernetesResources(GatewayImplementation.HTTP_ROUTES).inNamespace(f.namespace).resource(route)
                .create();
    }

    /** Canary {@code api} to version v2 at {@code weight}, splitting HTTPRoute {@code api}. */
    public static Canary canary(Fixture f, double weight) {
        Canary c = f.canary("api", "api", weight, "v2");
        c.getSpec().traffic = new TrafficSpec();
        c.getSpec().traffic.httpRoutes = List.of("api");
        return c;
    }
}
