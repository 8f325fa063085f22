package dev.serin.traffic;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.reconcile.Conditions;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The VirtualService layouts Argo Rollouts' and Flagger's Istio router tests use, end to end on the strict server
 * (Istio 1.29.6's CRDs): what a user sees in the routes while the canary runs, and that a stop gives back the
 * original byte for byte.
 */
@QuarkusTest
@WithStrictApiServer
class RouteLayoutsTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;

    /** Deployment app (version v1) and a DestinationRule for it without subsets; the VirtualServices are the test's. */
    static Fixture app(KubernetesClient client) {
        Fixture f = new Fixture(client);
        f.deployment("app", 10, Map.of("app", "app", "version", "v1"));
        f.istio(f.destinationRule("app", "{\"host\": \"app\"}"));
        return f;
    }

    /** The destinations at a JSON pointer of a VirtualService as "host/subset=weight" ("-" for no weight). */
    static List<String> route(Fixture f, String vs, String pointer) {
        List<String> seen = new ArrayList<>();
        JsonNode node = f.vs(vs);
        for (JsonNode d : node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : node.at(pointer)) {
            JsonNode dest = d.path("destination");
            String subset = dest.path("subset").asText("");
            seen.add(dest.path("host").asText() + (subset.isEmpty() ? "" : "/" + subset) + "="
                    + d.path("weight").asText("-"));
        }
        return seen;
    }

    static void awaitRoute(Fixture f, String vs, String pointer, String... expected) {
        await().atMost(DEADLINE).until(() -> route(f, vs, pointer).equals(List.of(expected)));
    }

    static void awaitApplied(Fixture f, String canary, double weight) {
        await().atMost(DEADLINE).until(() -> {
            Canary c = f.getCanary(canary);
            return c.getStatus() != null && Double.valueOf(weight).equals(c.getStatus().weight)
                    && Conditions.isTrue(c.getStatus().conditions, "TrafficApplied");
        });
    }

    /** Deletes the Canary and waits until its finalizer is released: routes restored, subsets removed. */
    static void stop(Fixture f, String canary) {
        f.client.resources(Canary.class).inNamespace(f.namespace).withName(canary).delete();
        await().atMost(DEADLINE).until(() -> f.getCanary(canary) == null);
    }

    /** A VirtualService as a user wrote it: its spec and metadata without the server's bookkeeping. */
    static JsonNode asWritten(JsonNode vs) {
        var copy = vs.deepCopy();
        var metadata = (com.fasterxml.jackson.databind.node.ObjectNode) copy.get("metadata");
        metadata.retain("name", "namespace", "labels", "annotations");
        return copy;
    }

    static void assertSteady(Fixture f) {
        Map<String, String> before = f.snapshot();
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> f.snapshot().equals(before));
    }

    @Test
    void aThirdDestinationKeepsItsWeightAndOnlyTheHostsShareIsSplit() {
        Fixture f = app(client);
        f.istio(f.virtualService("app", """
                {"hosts": ["app"], "http": [{"name": "main", "route": [
                  {"destination": {"host": "app"}, "weight": 80},
                  {"destination": {"host": "legacy-app"}, "weight": 20}]}]}"""));
        JsonNode original = asWritten(f.vs("app"));
        f.create(f.canary("app", "app", 10, "v2"));
        f.markReady("app-canary");
        awaitRoute(f, "app", "/spec/http/0/route", "app/stable=72", "app/canary=8", "legacy-app=20");
        awaitApplied(f, "app", 10);
        assertSteady(f);

        f.setWeight("app", 3); // 80 × 3 % is not whole: every weight × 5, legacy-app still a fifth of the route
        awaitRoute(f, "app", "/spec/http/0/route", "app/stable=388", "app/canary=12", "legacy-app=100");
        awaitApplied(f, "app", 3);
        assertSteady(f);

        stop(f, "app");
        assertEquals(original, asWritten(f.vs("app")));
    }
}
