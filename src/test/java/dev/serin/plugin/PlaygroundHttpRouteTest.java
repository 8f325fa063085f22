package dev.serin.plugin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.playground.DemoSeed;
import dev.serin.playground.PlaygroundHarness;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The playground's Gateway API example as a user meets it: {@code cart-canary.yaml} applied to the playground (the
 * same application and playground as {@link TourTest}), and what the HTTPRoute, the simulated traffic,
 * {@code status.weight} and {@code kubectl canary status} say, at 3 % and at 0.25 %, then the stop.
 */
@QuarkusTest
@TestProfile(TourTest.RealAnalysis.class)
@WithTestResource(PlaygroundResource.class)
class PlaygroundHttpRouteTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String NAME = DemoSeed.GATEWAY_API_APP;

    @Inject
    KubernetesClient client;

    @TempDir
    Path home;

    @Test
    void theHttpRouteExampleCarriesTheExactRatioAndTheSimulatedTrafficFollowsIt() throws Exception {
        var routes = client.genericKubernetesResources(DemoSeed.HTTP_ROUTES).inNamespace(DemoSeed.NAMESPACE);
        JsonNode before = JSON.valueToTree(routes.withName(NAME).get()).path("spec");
        Canary example;
        try (InputStream in = getClass().getResourceAsStream("/playground/cart-canary.yaml")) {
            example = client.getKubernetesSerialization().unmarshal(in, Canary.class);
        }
        var canaries = client.resources(Canary.class).inNamespace(DemoSeed.NAMESPACE);
        canaries.resource(example).create();

        await().atMost(DEADLINE).untilAsserted(() -> assertEquals(List.of("cart-stable=97", "cart-canary=3"),
                backendRefs(routes.withName(NAME).get())));
        await().atMost(DEADLINE).untilAsserted(() -> assertEquals(3.0, canaries.withName(NAME).get().getStatus().weight));
        JsonNode row = awaitShare(3.0);
        assertEquals("gateway-api", row.path("dialect").asText());
        assertEquals(NAME, row.path("httpRoute").asText());
        assertEquals(97, row.path("routeWeights").path("cart-stable").asInt());
        assertEquals(3, row.path("routeWeights").path("cart-canary").asInt());

        if (Scripts.findOnPath("kubectl") != null && Scripts.findOnPath("bash") != null) {
            String status = canaryStatus();
            assertTrue(status.contains("DIALECT"), status);
            assertTrue(status.lines().anyMatch(l -> l.startsWith(NAME + " ") && l.endsWith("gateway-api")), status);
        } else {
            System.err.println("PlaygroundHttpRouteTest: kubectl canary status not run: " + Scripts.KUBECTL_MISSING);
        }

        canaries.withName(NAME).edit(c -> {
            c.getSpec().weight = 0.25;
            return c;
        });
        await().atMost(DEADLINE).untilAsserted(() -> assertEquals(List.of("cart-stable=399", "cart-canary=1"),
                backendRefs(routes.withName(NAME).get())));
        await().atMost(DEADLINE).untilAsserted(() -> assertEquals(0.25, canaries.withName(NAME).get().getStatus().weight));

        canaries.withName(NAME).delete();
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertNull(canaries.withName(NAME).get());
            assertEquals(before, JSON.valueToTree(routes.withName(NAME).get()).path("spec"));
            assertNull(client.services().inNamespace(DemoSeed.NAMESPACE).withName("cart-stable").get());
            assertNull(client.services().inNamespace(DemoSeed.NAMESPACE).withName("cart-canary").get());
        });
    }

    /** "cart-stable=97": every backendRef of the HTTPRoute's rules, name=weight. */
    private static List<String> backendRefs(GenericKubernetesResource route) {
        List<String> refs = new ArrayList<>();
        JSON.valueToTree(route).path("spec").path("rules").forEach(rule -> rule.path("backendRefs").forEach(ref ->
                refs.add(ref.path("name").asText() + "=" + ref.path("weight").asText("1"))));
        return refs;
    }

    /**
     * The traffic view's row for cart once the canary's share of the last 10,000 simulated requests is within half a
     * point of {@code percent} (3 standard deviations at 3 %), looked at from {@link PlaygroundHarness#TRAFFIC_FILL}
     * after the route carries it.
     */
    private static JsonNode awaitShare(double percent) {
        String url = ConfigProvider.getConfig().getValue("playground.traffic-url", String.class);
        HttpClient http = HttpClient.newHttpClient();
        JsonNode[] row = new JsonNode[1];
        // the window holds only requests on the new route some 1 s after it changed (1,000 every 0.1 s)
        await().atMost(DEADLINE).pollDelay(PlaygroundHarness.TRAFFIC_FILL).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String body = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            row[0] = null;
            JSON.readTree(body).path("canaries").forEach(r -> {
                if (NAME.equals(r.path("name").asText())) {
                    row[0] = r;
                }
            });
            assertTrue(row[0] != null && row[0].path("requests").asInt() >= 10_000, body);
            double share = row[0].path("canaryShare").asDouble();
            assertTrue(Math.abs(share - percent) <= 0.5, "canary share " + share + " %: " + row[0]);
        });
        return row[0];
    }

    /** {@code kubectl canary status -n demo}, as a user types it. */
    private String canaryStatus() throws IOException {
        Path kubeconfig = Path.of(ConfigProvider.getConfig().getValue("playground.kubeconfig", String.class));
        Map<String, String> env = Scripts.environment(home, kubeconfig);
        Scripts.Result r = Scripts.start(home.resolve("logs"), env, Scripts.repo().resolve("bin/kubectl-canary"),
                List.of("status", "-n", DemoSeed.NAMESPACE)).await(DEADLINE);
        assertEquals(0, r.exit(), r.toString());
        return r.out();
    }
}
