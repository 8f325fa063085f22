package dev.serin.strict;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.cluster.IstioResources;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gateway API's HTTPRoute on the strict server: served (discovery, CRUD) only when its CRD is installed, independently
 * of Istio; routes defaulted and judged by the release's schema and CEL rules; status written by
 * {@link GatewayImplementation}.
 */
class GatewayApiServedTest {
    static final String NS = "routes";
    static final String GROUP = "gateway.networking.k8s.io";
    static final String ROUTE = """
            {"parentRefs": [{"name": "reviews", "kind": "Service", "group": ""}],
             "rules": [
               {"matches": [{"headers": [{"name": "x-tester", "value": "yes"}]}],
                "backendRefs": [{"name": "reviews-tester", "port": 9080}]},
               {"filters": [{"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "x-env", "value": "prod"}]}}],
                "backendRefs": [{"name": "reviews", "port": 9080}, {"name": "ratings", "port": 9080, "weight": 5}]}]}""";

    StrictApiServer server;
    KubernetesClient admin;

    StrictApiServer start(String istio, String gatewayApi) {
        if (!StrictApiServer.NONE.equals(gatewayApi)) {
            assumeTrue(Files.exists(StrictApiServer.gatewayApiCrds(gatewayApi)), "../shared/gateway-api is absent");
        }
        server = StrictCluster.server(istio, gatewayApi).start();
        admin = server.admin();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    static GenericKubernetesResource route(String name, String specJson) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(GROUP + "/v1");
        r.setKind("HTTPRoute");
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(NS).build());
        r.setAdditionalProperty("spec", Serialization.unmarshal(specJson, Map.class));
        return r;
    }

    static JsonNode json(GenericKubernetesResource r) {
        return Store.parse(Serialization.asJson(r));
    }

    GenericKubernetesResource create(GenericKubernetesResource route) {
        return admin.genericKubernetesResources(GatewayImplementation.HTTP_ROUTES).inNamespace(NS).resource(route)
                .create();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.1", "1.4.1"})
    void withoutIstioGatewayApiIsServedAndIstioIsNot(String gatewayApi) {
        start(StrictApiServer.NONE, gatewayApi);
        List<String> groups = admin.getApiGroups().getGroups().stream().map(APIGroup::getName).toList();
        assertTrue(groups.contains(GROUP), groups.toString());
        assertFalse(groups.contains(IstioResources.GROUP), groups.toString());
        assertEquals("v1", admin.getApiGroup(GROUP).getPreferredVersion().getVersion());
        assertNull(admin.getApiGroup(IstioResources.GROUP));
        assertEquals(404, assertThrows(KubernetesClientException.class, () -> admin.genericKubernetesResources(
                IstioResources.at("v1").virtualServices()).inNamespace(NS).list()).getCode());
        assertEquals(List.of(), admin.genericKubernetesResources(GatewayImplementation.HTTP_ROUTES).inNamespace(NS)
                .list().getItems());
    }

    @Test
    void withoutGatewayApiIstioIsServedAndGatewayApiIsNot() {
        start(StrictApiServer.DEFAULT_ISTIO, StrictApiServer.NONE);
        assertNull(admin.getApiGroup(GROUP));
        assertEquals(IstioResources.GROUP, admin.getApiGroup(IstioResources.GROUP).getName());
        assertEquals(404, assertThrows(KubernetesClientException.class, () -> admin.genericKubernetesResources(
                GatewayImplementation.HTTP_ROUTES).inNamespace(NS).list()).getCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.1", "1.4.1"})
    void aRouteIsStoredWithItsDefaultsAndAnUnchangedWriteStoresNothing(String gatewayApi) {
        start(StrictApiServer.NONE, gatewayApi);
        GenericKubernetesResource created = create(route("reviews", ROUTE));
        JsonNode spec = json(created).path("spec");
        assertEquals(Store.parse("""
                [{"group": "", "kind": "Service", "name": "reviews", "port": 9080, "weight": 1},
                 {"group": "", "kind": "Service", "name": "ratings", "port": 9080, "weight": 5}]"""),
                spec.at("/rules/1/backendRefs"));
        assertEquals(Store.parse("[{\"path\": {\"type\": \"PathPrefix\", \"value\": \"/\"}}]"), spec.at("/rules/1/matches"));
        assertEquals("Exact", spec.at("/rules/0/matches/0/headers/0/type").asText());
        // the same spec as the client first sent it, without the defaults: the server holds it unchanged
        GenericKubernetesResource again = route("reviews", ROUTE);
        again.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
        assertEquals(created.getMetadata().getResourceVersion(), admin.genericKubernetesResources(
                GatewayImplementation.HTTP_ROUTES).inNamespace(NS).resource(again).update().getMetadata()
                .getResourceVersion());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.1", "1.4.1"})
    void aWeightAboveOneMillionIsA422WithTheServersMessage(String gatewayApi) {
        start(StrictApiServer.NONE, gatewayApi);
        create(route("reviews", ROUTE));
        KubernetesClientException refused = assertThrows(KubernetesClientException.class, () -> admin
                .genericKubernetesResources(GatewayImplementation.HTTP_ROUTES).inNamespace(NS).withName("reviews")
                .patch(PatchContext.of(PatchType.JSON), "[{\"op\": \"replace\", \"path\": \"/spec/rules/1/backendRefs/0/weight\", \"value\": 1000001}]"));
        assertEquals(422, refused.getCode());
        assertEquals("HTTPRoute.gateway.networking.k8s.io \"reviews\" is invalid: spec.rules[1].backendRefs[0].weight: "
                + "Invalid value: 1000001: spec.rules[1].backendRefs[0].weight in body should be less than or equal to 1000000",
                refused.getStatus().getMessage());
    }

    @Test
    void aRepeatedFilterIsRefusedByItsCelRule() {
        start(StrictApiServer.NONE, StrictApiServer.DEFAULT_GATEWAY_API);
        GenericKubernetesResource route = route("reviews", ROUTE.replace(
                "\"filters\": [{\"type\": \"RequestHeaderModifier\", \"requestHeaderModifier\": {\"set\": [{\"name\": \"x-env\", \"value\": \"prod\"}]}}]",
                "\"filters\": [{\"type\": \"RequestHeaderModifier\", \"requestHeaderModifier\": {\"set\": [{\"name\": \"x-env\", \"value\": \"prod\"}]}},"
                        + " {\"type\": \"RequestHeaderModifier\", \"requestHeaderModifier\": {\"remove\": [\"x-debug\"]}}]"));
        KubernetesClientException refused = assertThrows(KubernetesClientException.class, () -> create(route));
        assertEquals(422, refused.getCode());
        assertTrue(refused.getStatus().getMessage().endsWith(
                "spec.rules[1].filters: Invalid value: \"array\": RequestHeaderModifier filter cannot be repeated"),
                refused.getStatus().getMessage());
    }

    @Test
    void theImplementationReportsTheCurrentGenerationAndFallsBehindWhilePaused() {
        start(StrictApiServer.NONE, StrictApiServer.DEFAULT_GATEWAY_API);
        var routes = admin.genericKubernetesResources(GatewayImplementation.HTTP_ROUTES).inNamespace(NS);
        create(route("reviews", ROUTE));
        try (GatewayImplementation gateway = new GatewayImplementation(admin).start(NS)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> GatewayImplementation.observedCurrent(
                    routes.withName("reviews").get()));
            GenericKubernetesResource accepted = routes.withName("reviews").get();
            assertEquals(1L, accepted.getMetadata().getGeneration());
            assertEquals("True", GatewayImplementation.conditions(accepted).get("Accepted").path("status").asText());
            assertEquals(1, GatewayImplementation.conditions(accepted).get("ResolvedRefs").path("observedGeneration").asInt());

            gateway.pause(true);
            GenericKubernetesResource changed = routes.withName("reviews").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\": {\"hostnames\": [\"reviews.example\"]}}");
            assertEquals(2L, changed.getMetadata().getGeneration());
            assertFalse(GatewayImplementation.observedCurrent(changed));
            gateway.pause(false);
            await().atMost(Duration.ofSeconds(10)).until(() -> GatewayImplementation.observedCurrent(
                    routes.withName("reviews").get()));
            assertEquals(2L, routes.withName("reviews").get().getMetadata().getGeneration(), "a status write keeps the generation");
        }
    }

    /**
     * RBAC from k8s/ judges requests for the new kinds like any other, with the real server's message: here a
     * ServiceAccount k8s/ grants nothing (not Serin's, whose requests RbacCoverageTest holds to "none refused").
     */
    @Test
    void rbacFromK8sJudgesHttpRoutesServicesAndEndpointSlices() {
        start(StrictApiServer.NONE, StrictApiServer.DEFAULT_GATEWAY_API);
        dev.serin.strict.rbac.Identity nobody = dev.serin.strict.rbac.Identity.serviceAccount(NS, "nobody");
        server.tokens().register("nobody-token", nobody);
        String user = nobody.user();
        try (KubernetesClient client = server.client("nobody-token")) {
            KubernetesClientException routes = assertThrows(KubernetesClientException.class, () -> client
                    .genericKubernetesResources(GatewayImplementation.HTTP_ROUTES).inNamespace(NS).list());
            assertEquals(403, routes.getCode());
            assertEquals("httproutes.gateway.networking.k8s.io is forbidden: User \"" + user + "\" cannot list resource "
                    + "\"httproutes\" in API group \"gateway.networking.k8s.io\" in the namespace \"" + NS + "\"",
                    routes.getStatus().getMessage());
            assertEquals(403, assertThrows(KubernetesClientException.class,
                    () -> client.services().inNamespace(NS).withName("reviews").get()).getCode());
            assertEquals(403, assertThrows(KubernetesClientException.class,
                    () -> client.discovery().v1().endpointSlices().inNamespace(NS).list()).getCode());
        }
        assertEquals(List.of(), admin.discovery().v1().endpointSlices().inNamespace(NS).list().getItems());
    }
}
