package dev.serin.strict;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * core/v1 Services and discovery.k8s.io/v1 EndpointSlices on the strict server: Services refused and defaulted as
 * kube-apiserver 1.32 does (cluster IP allocated and kept), and {@link EndpointSliceController} keeping each
 * selector's slice in line with the pods.
 */
class ServicesAndEndpointSlicesTest {
    static final String NS = "svc";
    StrictApiServer server;
    KubernetesClient admin;

    @BeforeEach
    void start() {
        server = StrictCluster.server(StrictApiServer.DEFAULT_ISTIO, StrictApiServer.NONE).start();
        admin = server.admin();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static ServiceBuilder service(String name, Map<String, String> selector) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withSelector(selector)
                .addToPorts(new ServicePortBuilder().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).build())
                .addToPorts(new ServicePortBuilder().withName("grpc").withPort(9090).build())
                .endSpec();
    }

    Service create(Service service) {
        return admin.services().inNamespace(NS).resource(service).create();
    }

    String refusal(Service service) {
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> create(service));
        assertEquals(422, e.getCode(), e.getMessage());
        return e.getStatus().getMessage();
    }

    @Test
    void aServiceIsStoredWithTheServersDefaultsAndAClusterIp() {
        JsonNode spec = Store.parse(Serialization.asJson(create(service("reviews", Map.of("app", "reviews")).build())))
                .path("spec");
        String ip = spec.path("clusterIP").asText();
        assertTrue(ip.matches("10\\.96\\.\\d+\\.\\d+"), ip);
        assertEquals(Store.parse("""
                {"selector": {"app": "reviews"},
                 "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080},
                           {"name": "grpc", "port": 9090, "protocol": "TCP", "targetPort": 9090}],
                 "type": "ClusterIP", "sessionAffinity": "None", "internalTrafficPolicy": "Cluster",
                 "clusterIP": "%1$s", "clusterIPs": ["%1$s"], "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"}"""
                .formatted(ip)), spec);
        String otherIp = create(service("ratings", Map.of("app", "ratings")).build()).getSpec().getClusterIP();
        assertTrue(!otherIp.equals(ip), "each Service gets its own cluster IP");
    }

    @Test
    void anUpdateWithoutTheAllocatedFieldsKeepsThemAndStoresNothingAndTheClusterIpCannotChange() {
        Service created = create(service("reviews", Map.of("app", "reviews")).build());
        Service sent = service("reviews", Map.of("app", "reviews")).editMetadata()
                .withResourceVersion(created.getMetadata().getResourceVersion()).endMetadata().build();
        Service updated = admin.services().inNamespace(NS).resource(sent).update();
        assertEquals(created.getMetadata().getResourceVersion(), updated.getMetadata().getResourceVersion());
        assertEquals(created.getSpec().getClusterIP(), updated.getSpec().getClusterIP());

        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> admin.services()
                .inNamespace(NS).withName("reviews").patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"spec\": {\"clusterIP\": \"10.96.200.200\"}}"));
        assertEquals(422, e.getCode());
        assertEquals("Service \"reviews\" is invalid: spec.clusterIPs[0]: Invalid value: [\"10.96.200.200\"]: "
                + "may not change once set", e.getStatus().getMessage());
    }

    @Test
    void refusesWhatTheRealServerRefuses() {
        assertTrue(refusal(service("1reviews", Map.of("app", "reviews")).build()).startsWith(
                "Service \"1reviews\" is invalid: metadata.name: Invalid value: \"1reviews\": a DNS-1035 label must"));
        assertEquals("Service \"reviews\" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]",
                refusal(service("reviews", Map.of("app", "reviews")).editSpec().editFirstPort().withName(null).endPort()
                        .editLastPort().withName(null).endPort().endSpec().build()));
        assertEquals("Service \"reviews\" is invalid: spec.ports[1].name: Duplicate value: \"http\"",
                refusal(service("reviews", Map.of("app", "reviews")).editSpec().editLastPort().withName("http").endPort()
                        .endSpec().build()));
        assertEquals("Service \"reviews\" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and "
                + "65535, inclusive", refusal(service("reviews", Map.of("app", "reviews")).editSpec().editFirstPort()
                        .withPort(70000).endPort().endSpec().build()));
        assertEquals("Service \"reviews\" is invalid: spec.ports[0].protocol: Unsupported value: \"HTTP\": supported "
                + "values: \"SCTP\", \"TCP\", \"UDP\"", refusal(service("reviews", Map.of("app", "reviews")).editSpec()
                        .editFirstPort().withProtocol("HTTP").endPort().endSpec().build()));
        assertEquals("Service \"reviews\" is invalid: spec.ports[0].targetPort: Invalid value: \"http_alt\": must "
                + "contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
                refusal(service("reviews", Map.of("app", "reviews")).editSpec().editFirstPort()
                        .withTargetPort(new IntOrString("http_alt")).endPort().endSpec().build()));
        assertEquals("Service \"reviews\" is invalid: spec.ports: Required value",
                refusal(service("reviews", Map.of("app", "reviews")).editSpec().withPorts(List.of()).endSpec().build()));
    }

    Deployment deployment(String name, Map<String, String> podLabels, int replicas) {
        return admin.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(podLabels).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.example/" + name + ":v1")
                .addNewPort().withName("grpc").withContainerPort(9091).endPort().endContainer().endSpec()
                .endTemplate().endSpec().build()).create();
    }

    static Map<String, Boolean> readiness(EndpointSlice slice) {
        Map<String, Boolean> ready = new java.util.TreeMap<>();
        for (Endpoint endpoint : slice.getEndpoints()) {
            ready.put(endpoint.getTargetRef().getName(), endpoint.getConditions().getReady());
        }
        return ready;
    }

    @Test
    void theEndpointSliceControllerListsTheSelectedPodsWithTheirReadiness() {
        try (EndpointSliceController controller = new EndpointSliceController(admin, NS).start()) {
            Deployment stable = deployment("reviews", Map.of("app", "reviews", "version", "v1"), 2);
            Deployment canary = deployment("reviews-canary", Map.of("app", "reviews", "version", "v2"), 1);
            var stablePods = controller.pods(stable, 2, true);
            var canaryPods = controller.pods(canary, 1, false);
            create(service("reviews", Map.of("app", "reviews")).build());
            create(service("reviews-stable", Map.of("app", "reviews", "version", "v1")).build());
            create(new ServiceBuilder(service("external", Map.of()).build()).editSpec().withSelector(null).endSpec().build());

            String stable0 = stablePods.get(0).getMetadata().getName();
            String stable1 = stablePods.get(1).getMetadata().getName();
            String canary0 = canaryPods.get(0).getMetadata().getName();
            await().atMost(Duration.ofSeconds(10)).until(() -> controller.slice("reviews") != null
                    && readiness(controller.slice("reviews")).equals(Map.of(stable0, true, stable1, true, canary0, false)));
            EndpointSlice slice = controller.slice("reviews");
            assertEquals(Map.of(EndpointSliceController.SERVICE_NAME_LABEL, "reviews",
                    EndpointSliceController.MANAGED_BY_LABEL, EndpointSliceController.MANAGED_BY),
                    slice.getMetadata().getLabels());
            assertEquals(List.of(8080, 9090), slice.getPorts().stream().map(p -> p.getPort()).toList(),
                    "targetPort 8080 as is; grpc's targetPort defaulted to its port, 9090");
            await().atMost(Duration.ofSeconds(10)).until(() -> controller.slice("reviews-stable") != null
                    && readiness(controller.slice("reviews-stable")).equals(Map.of(stable0, true, stable1, true)));
            assertEquals(null, controller.slice("external"), "a Service without a selector has no slice");

            controller.setReady(canary0, true);
            await().atMost(Duration.ofSeconds(10)).until(() -> readiness(controller.slice("reviews"))
                    .equals(Map.of(stable0, true, stable1, true, canary0, true)));

            admin.apps().deployments().inNamespace(NS).withName("reviews-canary").delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> readiness(controller.slice("reviews"))
                    .equals(Map.of(stable0, true, stable1, true)));
            admin.services().inNamespace(NS).withName("reviews-stable").delete();
            await().atMost(Duration.ofSeconds(10)).until(() -> controller.slice("reviews-stable") == null);
        }
    }

    void markReady(String deployment) {
        Deployment d = admin.apps().deployments().inNamespace(NS).withName(deployment).get();
        d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                .withReplicas(d.getSpec().getReplicas()).withReadyReplicas(d.getSpec().getReplicas()).build());
        admin.apps().deployments().inNamespace(NS).resource(d).updateStatus();
    }

    @Test
    void followingDeploymentsKeepsTheirPodsAtTheirReplicasReadyAsTheDeploymentSays() {
        try (EndpointSliceController controller = new EndpointSliceController(admin, NS).followDeployments().start()) {
            create(service("reviews", Map.of("app", "reviews")).build());
            deployment("reviews", Map.of("app", "reviews", "version", "v1"), 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> controller.slice("reviews") != null
                    && readiness(controller.slice("reviews")).size() == 2
                    && readiness(controller.slice("reviews")).values().stream().noneMatch(r -> r));
            markReady("reviews");
            await().atMost(Duration.ofSeconds(10)).until(() -> readiness(controller.slice("reviews")).values().stream()
                    .filter(r -> r).count() == 2);
            admin.apps().deployments().inNamespace(NS).withName("reviews").scale(3);
            await().atMost(Duration.ofSeconds(10)).until(() -> readiness(controller.slice("reviews")).size() == 3);
            admin.apps().deployments().inNamespace(NS).withName("reviews").scale(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> readiness(controller.slice("reviews")).size() == 1);
            assertNotNull(controller.slice("reviews"));
        }
    }
}
