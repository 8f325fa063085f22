package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.Fixture;
import dev.serin.GatewayApiFixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.strict.EndpointSliceController;
import dev.serin.strict.GatewayImplementation;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import dev.serin.strict.Written;
import dev.serin.strict.rbac.Identity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 23: what one Istio Canary, and one Gateway API Canary, cost the API server to converge from nothing to its
 * weight, counted from the server's side — Serin's own writes only, by kind. Exact: one more write of any kind fails
 * the test.
 */
@QuarkusTest
@WithStrictApiServer
class ConvergenceWritesTest {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    @Strict
    KubernetesClient client;
    @Strict
    StrictApiServer server;
    @Inject
    Controller controller;

    @Test
    void anIstioCanaryCreatedAsKubectlApplyWouldConvergesInEightWrites() {
        await().atMost(DEADLINE).until(controller::started);
        Fixture f = new Fixture(client).service("api", 40); // Deployment, VirtualService, DestinationRule in place
        f.create(f.canary("api", "api", 10, "v2"));
        f.markReady("api-canary"); // the Deployment controller: the canary pods become ready once Serin made them

        await().atMost(DEADLINE).until(() -> {
            var s = f.getCanary("api").getStatus();
            return s != null && s.phase == Phase.Progressing && Double.valueOf(10).equals(s.weight)
                    && Conditions.isTrue(s.conditions, "TrafficApplied");
        });
        assertEquals(List.of("stable=9", "canary=1"), f.mainRoute("api"));
        // idle: the queue is empty and every Event is sent, and stays so (a late write would show here)
        await().during(Duration.ofSeconds(1)).atMost(DEADLINE).until(controller::idle);

        assertEquals(new TreeMap<>(Map.of(
                "canaries (finalizer)", 1L,
                "destinationrules", 1L,
                "virtualservices", 2L, // pinned to stable before the canary pods exist, then the weight
                "deployments", 1L,
                "canaries/status", 2L,
                "events", 1L)), serinsWritesByKind(f.namespace), "Serin's writes to converge one Canary");
        // the one Event says what was made and the weight applied
        assertEquals(List.of("TrafficShifted: weight 0 → 10: stable 9, canary 1; created Deployment api-canary with 4 "
                + "replicas"), f.events().stream().map(e -> e.getReason() + ": " + e.getMessage()).toList());
    }

    /**
     * On a busy cluster one kind's watch events can trail the Canary's: a pass that read an object from before Serin's
     * own write would write it again, and be refused (409: a stale resourceVersion, or AlreadyExists).
     */
    @ParameterizedTest
    @ValueSource(strings = {"destinationrules", "virtualservices", "deployments"})
    void aWatchBehindTheCanarysCostsNoSecondWriteAndNoRefusal(String lagging) {
        await().atMost(DEADLINE).until(controller::started);
        Fixture f = new Fixture(client).service("api", 40);
        server.lagWatchEvents(lagging, Duration.ofMillis(700));
        try {
            f.create(f.canary("api", "api", 10, "v2"));
            f.markReady("api-canary");
            await().atMost(DEADLINE).until(() -> {
                var s = f.getCanary("api").getStatus();
                return s != null && s.phase == Phase.Progressing && Double.valueOf(10).equals(s.weight)
                        && Conditions.isTrue(s.conditions, "TrafficApplied");
            });
            await().during(Duration.ofSeconds(1)).atMost(DEADLINE).until(controller::idle);
        } finally {
            server.lagWatchEvents(lagging, Duration.ZERO);
        }
        assertEquals(List.of(), server.refusedWrites(Identity.SERIN.user(), f.namespace), "Serin's refused writes");
        assertEquals(new TreeMap<>(Map.of(
                "canaries (finalizer)", 1L,
                "destinationrules", 1L,
                "virtualservices", 2L,
                "deployments", 1L,
                "canaries/status", 2L,
                "events", 1L)), serinsWritesByKind(f.namespace), "Serin's writes to converge one Canary");
        assertEquals(List.of("stable=9", "canary=1"), f.mainRoute("api"));
    }

    @Test
    void aGatewayApiCanaryCreatedAsKubectlApplyWouldConvergesInNineWrites() {
        await().atMost(DEADLINE).until(controller::started);
        Fixture f = new Fixture(client);
        GatewayApiFixture.apiBehindHttpRoute(f, 40, """
                {"parentRefs": [{"name": "api", "kind": "Service", "group": ""}],
                 "rules": [{"backendRefs": [{"name": "api", "port": 80}]}]}""");
        try (EndpointSliceController slices = new EndpointSliceController(client, f.namespace).start()
                        .followDeployments();
                GatewayImplementation implementation = new GatewayImplementation(client).start(f.namespace)) {
            Canary canary = GatewayApiFixture.canary(f, 10);
            f.create(canary);
            f.markReady("api-canary");

            await().atMost(DEADLINE).until(() -> {
                var s = f.getCanary("api").getStatus();
                return s != null && s.phase == Phase.Progressing && Double.valueOf(10).equals(s.weight)
                        && Conditions.isTrue(s.conditions, "TrafficApplied");
            });
            assertEquals(List.of("api-stable=9", "api-canary=1"), backendRefs(f.namespace));
            await().during(Duration.ofSeconds(1)).atMost(DEADLINE).until(controller::idle);
        }

        assertEquals(new TreeMap<>(Map.of(
                "canaries (finalizer)", 1L,
                "services", 2L, // <name>-stable and <name>-canary
                "httproutes", 2L, // pinned to <name>-stable before the canary pods exist, then the weight
                "deployments", 1L,
                "canaries/status", 2L,
                "events", 1L)), serinsWritesByKind(f.namespace), "Serin's writes to converge one Canary");
        assertEquals(List.of("TrafficShifted: weight 0 → 10: stable 9, canary 1; created Deployment api-canary with 4 "
                + "replicas"), f.events().stream().map(e -> e.getReason() + ": " + e.getMessage()).toList());
    }

    /** The HTTPRoute's one rule as name=weight. */
    List<String> backendRefs(String namespace) {
        JsonNode route = Fixture.JSON.convertValue(client.genericKubernetesResources(GatewayImplementation.HTTP_ROUTES)
                .inNamespace(namespace).withName("api").get(), JsonNode.class);
        List<String> refs = new ArrayList<>();
        route.at("/spec/rules/0/backendRefs").forEach(r -> refs.add(r.path("name").asText() + "="
                + r.path("weight").asText()));
        return refs;
    }

    /** Serin's writes in the namespace, by resource (and subresource): what the API server stored for it. */
    Map<String, Long> serinsWritesByKind(String namespace) {
        Map<String, Long> counts = new TreeMap<>();
        for (Written.Write w : server.writes()) {
            if (w.by(Identity.SERIN.user()) && namespace.equals(w.namespace())) {
                counts.merge(kind(w), 1L, Long::sum);
            }
        }
        return counts;
    }

    static String kind(Written.Write w) {
        if (w.subresource() != null) {
            return w.resource() + "/" + w.subresource();
        }
        return "canaries".equals(w.resource()) ? "canaries (finalizer)" : w.resource();
    }
}
