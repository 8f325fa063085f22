package dev.serin.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /playground/request}: one request, with the headers the caller sends, through a VirtualService written
 * by hand the way Serin writes tester routes at weight 0 (no Serin runs): a {@code serin-testers-0} route matching
 * {@code x-canary: always} or a {@code canary=1} cookie before the split route, stable 100 / canary 0; and through
 * the seeded mesh HTTPRoute of cart, where Gateway API's ranking (not the order) picks the rule.
 */
class RequestEndpointTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiServer api;
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer().start(0);
        KubernetesClient client = api.client();
        DemoSeed.seed(client);
        canaryPods(client, "shop");
        client.genericKubernetesResources(DemoSeed.ISTIO.destinationRules()).inNamespace("demo").withName("shop")
                .edit(dr -> withSpec(dr, Map.of("host", "shop", "subsets", List.of(
                        Map.of("name", "stable", "labels", Map.of("version", "v1")),
                        Map.of("name", "canary", "labels", Map.of("version", "v2"))))));
        Map<String, Object> canary = Map.of("destination", Map.of("host", "shop", "subset", "canary"));
        client.genericKubernetesResources(DemoSeed.ISTIO.virtualServices()).inNamespace("demo").withName("shop")
                .edit(vs -> withSpec(vs, Map.of("hosts", List.of("shop"), "http", List.of(
                        Map.of("name", "serin-testers-0", "match", List.of(
                                Map.of("headers", Map.of("x-canary", Map.of("exact", "always"))),
                                Map.of("headers", Map.of("cookie", Map.of("regex", "(.*;\\s*)?canary=1(;.*)?")))),
                                "route", List.of(canary)),
                        Map.of("route", List.of(
                                Map.of("destination", Map.of("host", "shop", "subset", "stable"), "weight", 100),
                                Map.of("destination", Map.of("host", "shop", "subset", "canary"), "weight", 0)))))));
        server = new TrafficView(client, new Random(3), 10).serve(0);
        base = "http://localhost:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        api.close();
    }

    @Test
    void aRequestWithTheTesterHeaderReachesTheCanaryAtWeight0AndOneWithoutReachesStable() throws Exception {
        for (int i = 0; i < 20; i++) { // the weighted pick is random: at weight 0 it never picks the canary
            JsonNode tester = request("?host=shop", "X-Canary", "always");
            assertEquals("serin-testers-0", tester.path("route").asText(), tester.toString());
            assertEquals("shop-canary", tester.path("deployment").asText());
            assertEquals("v2", tester.path("version").asText());
            assertEquals(200, tester.path("code").asInt());

            JsonNode plain = request("?host=shop&namespace=demo");
            assertEquals("#1", plain.path("route").asText(), plain.toString());
            assertEquals("shop", plain.path("deployment").asText());
            assertEquals("v1", plain.path("version").asText());
            assertEquals("shop", plain.path("virtualService").asText());
        }
    }

    @Test
    void theHeaderMustMatchExactlyAndACookieRegexFindsItsCookieAmongOthers() throws Exception {
        assertEquals("v1", request("?host=shop", "x-canary", "always-not").path("version").asText());
        assertEquals("v2", request("?host=shop", "cookie", "session=abc; canary=1").path("version").asText());
        assertEquals("v1", request("?host=shop", "cookie", "session=abc; canary=10").path("version").asText());
    }

    @Test
    void aMeshHttpRouteTakesTheMostSpecificRuleNotTheFirst() throws Exception {
        KubernetesClient client = api.client();
        canaryPods(client, "cart");
        client.services().inNamespace("demo").resource(new ServiceBuilder().withNewMetadata().withName("cart-canary")
                .endMetadata().withNewSpec().withSelector(Map.of("app", "cart", "version", "v2")).addNewPort()
                .withPort(80).endPort().endSpec().build()).create();
        JsonNode plain = request("?host=cart");
        assertEquals("cart", plain.path("httpRoute").asText(), plain.toString());
        assertEquals("#0", plain.path("route").asText());
        assertEquals("cart", plain.path("deployment").asText()); // the Service cart: v1 pods only so far

        // a second rule, after the first, with the same path and a header: more specific, so it wins for the header
        client.genericKubernetesResources(DemoSeed.HTTP_ROUTES).inNamespace("demo").withName("cart").edit(route -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> spec = new java.util.HashMap<>((Map<String, Object>) route.getAdditionalProperties()
                    .get("spec"));
            List<Object> rules = new java.util.ArrayList<>((List<?>) spec.get("rules"));
            rules.add(Map.of("matches", List.of(Map.of("path", Map.of("type", "PathPrefix", "value", "/"),
                    "headers", List.of(Map.of("type", "Exact", "name", "x-canary", "value", "always")))),
                    "backendRefs", List.of(Map.of("name", "cart-canary", "port", 80))));
            spec.put("rules", rules);
            return withSpec(route, spec);
        });
        JsonNode tester = request("?host=cart", "X-Canary", "always");
        assertEquals("#1", tester.path("route").asText(), tester.toString());
        assertEquals("cart-canary", tester.path("deployment").asText());
        assertEquals("v2", tester.path("version").asText());
        assertEquals("#0", request("?host=cart", "x-canary", "never").path("route").asText());
        assertEquals("#0", request("?host=cart&path=/api/items").path("route").asText());
    }

    @Test
    void aRequestWithoutHostIsRefused() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/playground/request")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("host=shop"), r.body());
    }

    /** Deployment {@code <name>-canary}: one ready pod of {@code name}'s, labelled version v2. */
    private static void canaryPods(KubernetesClient client, String name) {
        Deployment pods = new DeploymentBuilder(client.apps().deployments().inNamespace("demo").withName(name).get())
                .editMetadata().withName(name + "-canary").withResourceVersion(null).withUid(null).endMetadata()
                .editSpec().withReplicas(1).editTemplate().editMetadata().addToLabels("version", "v2").endMetadata()
                .endTemplate().endSpec().withStatus(null).build();
        client.apps().deployments().inNamespace("demo").resource(pods).create();
        new ReadyReplicas(client, Duration.ZERO, Clock.systemUTC()).tick();
    }

    private JsonNode request(String query, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/playground/request" + query));
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static GenericKubernetesResource withSpec(GenericKubernetesResource r, Map<String, Object> spec) {
        r.setAdditionalProperty("spec", spec);
        return r;
    }
}
