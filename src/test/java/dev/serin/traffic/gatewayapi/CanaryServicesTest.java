package dev.serin.traffic.gatewayapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanaryServicesTest {
    static Service target() {
        return new ServiceBuilder().withNewMetadata().withName("api").withNamespace("web")
                .addToLabels("team", "a").addToAnnotations("note", "x").endMetadata()
                .withNewSpec().withType("LoadBalancer").withSelector(Map.of("app", "api"))
                .withSessionAffinity("ClientIP")
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString("web")).withProtocol("TCP")
                .withNodePort(30080).withAppProtocol("http").endPort()
                .endSpec().build();
    }

    @Test
    void theStableServiceCopiesPortsAndSelectorNarrowedToItsVersion() {
        Service stable = CanaryServices.desired(target(), "api-stable", "api", "version", "v1").orElseThrow();
        assertEquals("api-stable", stable.getMetadata().getName());
        assertEquals("web", stable.getMetadata().getNamespace());
        assertEquals(Map.of("serin.dev/canary", "api"), stable.getMetadata().getLabels());
        assertTrue(stable.getMetadata().getOwnerReferences().isEmpty(), "never owned by the Canary");
        assertEquals("ClusterIP", stable.getSpec().getType());
        assertEquals(Map.of("app", "api", "version", "v1"), stable.getSpec().getSelector());
        var port = stable.getSpec().getPorts().get(0);
        assertEquals("http", port.getName());
        assertEquals(80, port.getPort());
        assertEquals(new IntOrString("web"), port.getTargetPort());
        assertEquals("TCP", port.getProtocol());
        assertEquals(null, port.getNodePort(), "name, port, targetPort and protocol only");
        assertEquals(null, port.getAppProtocol());
        assertEquals(null, stable.getSpec().getSessionAffinity());
    }

    @Test
    void aTargetWithoutSelectorHasNoVersionToNarrowTo() {
        Service external = new ServiceBuilder(target()).editSpec().withSelector(null).endSpec().build();
        assertTrue(CanaryServices.desired(external, "api-canary", "api", "version", "v2").isEmpty());
    }

    @Test
    void theLiveServiceWithTheServersDefaultsMatchesAndAChangedSelectorDoesNot() {
        Service desired = CanaryServices.desired(target(), "api-canary", "api", "version", "v2").orElseThrow();
        Service live = new ServiceBuilder(desired).editMetadata().withResourceVersion("7").withUid("u").endMetadata()
                .editSpec().withClusterIP("10.0.0.7").withClusterIPs("10.0.0.7").withIpFamilies("IPv4")
                .withIpFamilyPolicy("SingleStack").withSessionAffinity("None").withInternalTrafficPolicy("Cluster")
                .endSpec().build();
        assertTrue(CanaryServices.matches(live, desired));

        Service edited = new ServiceBuilder(live).editSpec().addToSelector("version", "v1").endSpec().build();
        assertFalse(CanaryServices.matches(edited, desired));
        Service fixed = CanaryServices.updated(edited, desired);
        assertTrue(CanaryServices.matches(fixed, desired));
        assertEquals("7", fixed.getMetadata().getResourceVersion(), "an optimistic update");
        assertEquals("10.0.0.7", fixed.getSpec().getClusterIP());
    }

    @Test
    void defaultsTheServerFillsInCountAsWritten() {
        Service bare = new ServiceBuilder(target()).editSpec().withPorts(List.of()).addNewPort().withPort(80).endPort()
                .endSpec().build();
        Service desired = CanaryServices.desired(bare, "api-canary", "api", "version", "v2").orElseThrow();
        Service live = new ServiceBuilder(desired).editSpec().editFirstPort().withProtocol("TCP")
                .withTargetPort(new IntOrString(80)).endPort().endSpec().build();
        assertTrue(CanaryServices.matches(live, desired));
    }

    static EndpointSlice slice(String service, Boolean... ready) {
        EndpointSliceBuilder b = new EndpointSliceBuilder().withNewMetadata().withName(service + "-x")
                .addToLabels("kubernetes.io/service-name", service).endMetadata().withAddressType("IPv4");
        for (Boolean r : ready) {
            b.addNewEndpoint().withAddresses("10.1.0.1").withNewConditions().withReady(r).endConditions().endEndpoint();
        }
        return b.build();
    }

    @Test
    void readyEndpointsAreThoseReadyOrWithoutTheCondition() {
        List<EndpointSlice> slices = List.of(slice("api-canary", true, false, null), slice("api-stable", false),
                slice("api-canary", (Boolean) null));
        assertEquals(3, EndpointReadiness.readyEndpoints(slices, "api-canary"));
        assertEquals(0, EndpointReadiness.readyEndpoints(slices, "api-stable"));
        assertEquals(0, EndpointReadiness.readyEndpoints(slices, "api"));
    }
}
