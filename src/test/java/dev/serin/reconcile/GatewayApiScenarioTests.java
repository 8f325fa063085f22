package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.Fixture;
import dev.serin.GatewayApiFixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.strict.EndpointSliceController;
import dev.serin.strict.GatewayImplementation;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.Written;
import dev.serin.strict.rbac.Identity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Canary on a Gateway API HTTPRoute, end to end on the strict server with a Gateway API release's HTTPRoute CRD
 * (subclasses pick it): 0 → 0.25 → 3 → 12.5 → 100 → stop on a route with two rules (one not for the host), a header
 * filter and a third backend. Every HTTPRoute version Serin wrote is checked against what the cluster held then.
 */
abstract class GatewayApiScenarioTests {
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final String ROUTE = """
            {"parentRefs": [{"name": "api", "kind": "Service", "group": ""}],
             "rules": [
               {"matches": [{"path": {"type": "PathPrefix", "value": "/admin"}}],
                "backendRefs": [{"name": "admin", "port": 8080}]},
               {"filters": [{"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "x-env", "value": "prod"}]}}],
                "backendRefs": [
                  {"name": "api", "port": 80, "weight": 9,
                   "filters": [{"type": "ResponseHeaderModifier", "responseHeaderModifier": {"add": [{"name": "x-served-by", "value": "api"}]}}]},
                  {"name": "legacy", "port": 80}]}]}""";

    @Strict
    KubernetesClient client;
    @Strict
    StrictApiServer server;
    @Inject
    Controller controller;

    Fixture f;

    GenericKubernetesResource route() {
        return client.genericKubernetesResources(GatewayImplementation.HTTP_ROUTES).inNamespace(f.namespace)
                .withName("api").get();
    }

    /** The rule to the host as name=weight. */
    List<String> hostRule() {
        List<String> refs = new ArrayList<>();
        for (JsonNode ref : Fixture.JSON.convertValue(route(), JsonNode.class).at("/spec/rules/1/backendRefs")) {
            refs.add(ref.path("name").asText() + "=" + ref.path("weight").asText());
        }
        return refs;
    }

    void setup() {
        setup(ROUTE);
    }

    void setup(String routeSpec) {
        f = new Fixture(client);
        GatewayApiFixture.apiBehindHttpRoute(f, 40, routeSpec);
    }

    Canary canary(double weight) {
        return GatewayApiFixture.canary(f, weight);
    }

    @Test
    void theWeightWalksToAHundredAndTheStopRestoresTheRouteExactly() {
        setup();
        JsonNode original = Fixture.JSON.convertValue(route(), JsonNode.class).get("spec");
        try (EndpointSliceController slices = new EndpointSliceController(client, f.namespace).start()
                        .followDeployments();
                GatewayImplementation implementation = new GatewayImplementation(client).start(f.namespace)) {
            f.create(canary(0));
            await().atMost(DEADLINE).until(() -> hostRule().equals(List.of("api-stable=9", "legacy=1")));

            f.setWeight("api", 0.25);
            await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary") != null
                    && f.deploymentNow("api-canary").getSpec().getReplicas() > 0);
            f.markReady("api-canary");
            // the host's 9 of 10, 0.25 % of it exactly: every weight × 400
            await().atMost(DEADLINE).until(() -> hostRule().equals(List.of("api-stable=3591", "api-canary=9", "legacy=400")));

            for (Object[] step : new Object[][] {{3.0, List.of("api-stable=873", "api-canary=27", "legacy=100")},
                    {12.5, List.of("api-stable=63", "api-canary=9", "legacy=8")},
                    {100.0, List.of("api-canary=9", "legacy=1")}}) {
                f.setWeight("api", (Double) step[0]);
                await().atMost(DEADLINE).until(() -> {
                    f.markReady("api-canary");
                    return hostRule().equals(step[1]);
                });
            }
            await().atMost(DEADLINE).until(() -> Double.valueOf(100).equals(f.getCanary("api").getStatus().weight));

            // steady state: no writes
            await().atMost(DEADLINE).until(controller::idle);
            int before = server.writes().size();
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(() -> serinWrites(server.writes().subList(before, server.writes().size())) == 0);

            client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
            await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
            await().atMost(DEADLINE).until(() -> client.services().inNamespace(f.namespace).withName("api-stable").get() == null
                    && client.services().inNamespace(f.namespace).withName("api-canary").get() == null);
        }
        JsonNode after = Fixture.JSON.convertValue(route(), JsonNode.class);
        assertEquals(original, after.get("spec"), "the stop restores the route's spec exactly");
        assertTrue(after.at("/metadata/annotations").isMissingNode() || after.at("/metadata/annotations").isEmpty(),
                "Serin's annotations are gone: " + after.at("/metadata/annotations"));
        checkEveryRouteVersion(server.writes());
    }

    /**
     * Replays the write log: no HTTPRoute version names a Service without ready endpoints then, none weights the
     * canary after its pods started going, and none names the user's Service while canary pods exist.
     */
    void checkEveryRouteVersion(List<Written.Write> writes) {
        Map<String, Integer> ready = new HashMap<>();
        boolean canaryPods = false;
        boolean podsGoing = false;
        int routeVersions = 0;
        for (Written.Write w : writes) {
            if (!f.namespace.equals(w.namespace())) {
                continue;
            }
            if (w.resource().equals("endpointslices")) {
                String service = w.object().at("/metadata/labels/kubernetes.io~1service-name").asText();
                int count = 0;
                if (!w.verb().equals("delete")) {
                    for (JsonNode e : w.object().path("endpoints")) {
                        count += e.at("/conditions/ready").asBoolean(true) ? 1 : 0;
                    }
                }
                ready.put(service, count);
            } else if (w.resource().equals("deployments") && "api-canary".equals(w.name()) && w.subresource() == null) {
                if (w.verb().equals("create")) {
                    canaryPods = true;
                }
                if (w.verb().equals("delete")) {
                    podsGoing = true;
                }
            } else if (w.resource().equals("httproutes") && w.by(Identity.SERIN.user())) {
                routeVersions++;
                for (JsonNode rule : w.object().at("/spec/rules")) {
                    for (JsonNode ref : rule.path("backendRefs")) {
                        String name = ref.path("name").asText();
                        int weight = ref.path("weight").asInt(1);
                        if (name.startsWith("api-")) {
                            assertTrue(ready.getOrDefault(name, 0) > 0, "route version " + routeVersions + " names "
                                    + name + " without ready endpoints: " + rule);
                        }
                        if (podsGoing) {
                            assertFalse(name.equals("api-canary") && weight > 0, "route version " + routeVersions
                                    + " weights the canary after its pods started going: " + rule);
                        }
                        if (canaryPods && !podsGoing) {
                            assertFalse(name.equals("api"), "route version " + routeVersions
                                    + " names the user's Service while canary pods exist: " + rule);
                        }
                    }
                }
            }
        }
        assertTrue(routeVersions >= 6, "one version per step and the stop's two: " + routeVersions);
        assertTrue(podsGoing, "the canary pods went");
    }

    long serinWrites(List<Written.Write> writes) {
        return writes.stream().filter(w -> w.by(Identity.SERIN.user()) && f.namespace.equals(w.namespace())).count();
    }

    @Test
    void aHandEditedSelectorOfAServiceSerinMadeIsPutBack() {
        setup();
        try (EndpointSliceController slices = new EndpointSliceController(client, f.namespace).start()
                .followDeployments()) {
            f.create(canary(0));
            await().atMost(DEADLINE).until(() -> hostRule().equals(List.of("api-stable=9", "legacy=1")));
            Map<String, String> selector = client.services().inNamespace(f.namespace).withName("api-stable").get()
                    .getSpec().getSelector();
            assertEquals(Map.of("app", "api", "version", "v1"), selector);

            // someone drops the version from the selector: the stable Service would select the canary pods too
            client.services().inNamespace(f.namespace).withName("api-stable")
                    .edit(s -> new ServiceBuilder(s).editSpec().withSelector(Map.of("app", "api")).endSpec().build());
            await().atMost(DEADLINE).until(() -> selector.equals(
                    client.services().inNamespace(f.namespace).withName("api-stable").get().getSpec().getSelector()));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aHandEditOfTheWeightsIsRevertedWithAnEvent() {
        setup();
        try (EndpointSliceController slices = new EndpointSliceController(client, f.namespace).start()
                        .followDeployments();
                GatewayImplementation implementation = new GatewayImplementation(client).start(f.namespace)) {
            f.create(canary(12.5));
            f.markReady("api-canary");
            List<String> split = List.of("api-stable=63", "api-canary=9", "legacy=8");
            await().atMost(DEADLINE).until(() -> hostRule().equals(split));
            await().atMost(DEADLINE).until(() -> Conditions.isTrue(f.getCanary("api").getStatus().conditions,
                    "TrafficApplied"));

            // someone evens out the weights by hand
            client.genericKubernetesResources(GatewayImplementation.HTTP_ROUTES).inNamespace(f.namespace)
                    .withName("api").edit(route -> {
                        var rules = (List<Map<String, Object>>) ((Map<String, Object>) route.getAdditionalProperties()
                                .get("spec")).get("rules");
                        ((List<Map<String, Object>>) rules.get(1).get("backendRefs"))
                                .forEach(ref -> ref.put("weight", 50));
                        return route;
                    });
            await().atMost(DEADLINE).until(() -> hostRule().equals(split));
            await().atMost(DEADLINE).until(() -> f.eventReasons().contains("DriftReverted"));
            stop();
        }
    }

    @Test
    void aRuleThatWouldPassSixteenBackendRefsIsNotWritten() {
        setup();
        // a second HTTPRoute whose one rule has 16 backendRefs: the host's and 15 others
        StringBuilder refs = new StringBuilder("{\"name\": \"api\", \"port\": 80}");
        for (int i = 1; i <= 15; i++) {
            refs.append(", {\"name\": \"other-").append(i).append("\", \"port\": 80}");
        }
        GenericKubernetesResource wide = new GenericKubernetesResource();
        wide.setApiVersion("gateway.networking.k8s.io/v1");
        wide.setKind("HTTPRoute");
        wide.setMetadata(new ObjectMetaBuilder().withName("wide").withNamespace(f.namespace).build());
        wide.setAdditionalProperty("spec", Fixture.JSON.unmarshal("""
                {"parentRefs": [{"name": "api", "kind": "Service", "group": ""}],
                 "rules": [{"backendRefs": [%s]}]}""".formatted(refs), Map.class));
        client.genericKubernetesResources(GatewayImplementation.HTTP_ROUTES).inNamespace(f.namespace).resource(wide)
                .create();
        try (EndpointSliceController slices = new EndpointSliceController(client, f.namespace).start()
                .followDeployments()) {
            Canary c = canary(10);
            c.getSpec().traffic.httpRoutes = List.of("wide");
            f.create(c);
            // pinned to the stable Service: still 16
            await().atMost(DEADLINE).until(() -> "api-stable".equals(wideRefs().get(0)) && wideRefs().size() == 16);
            f.markReady("api-canary");
            await().atMost(DEADLINE).until(() -> {
                var applied = Conditions.find(f.getCanary("api").getStatus().conditions, "TrafficApplied");
                return applied != null && "TooManyBackendRefs".equals(applied.getReason());
            });
            var applied = Conditions.find(f.getCanary("api").getStatus().conditions, "TrafficApplied");
            assertEquals("False", applied.getStatus());
            assertTrue(applied.getMessage().contains("needs 17 backendRefs") && applied.getMessage().contains(
                    "at most 16"), applied.getMessage());
            assertEquals(16, wideRefs().size(), "nothing written");
            assertFalse(wideRefs().contains("api-canary"));
            assertNotEquals(Phase.Failed, f.getCanary("api").getStatus().phase, "no refusal by the API server");
            stop(); // a refused Canary is tried again at the longest back-off: the application is shared
        }
    }

    /** Deletes the Canary and waits until its stop is done. */
    void stop() {
        client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
        await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
    }

    /** The names in the one rule of HTTPRoute wide. */
    List<String> wideRefs() {
        List<String> names = new ArrayList<>();
        Fixture.JSON.convertValue(client.genericKubernetesResources(GatewayImplementation.HTTP_ROUTES)
                .inNamespace(f.namespace).withName("wide").get(), JsonNode.class).at("/spec/rules/0/backendRefs")
                .forEach(r -> names.add(r.path("name").asText()));
        return names;
    }

    @Test
    void aCanaryWithBothHttpRoutesAndVirtualServicesIsRefusedByTheCrd() {
        f = new Fixture(client);
        Canary both = canary(3);
        both.getSpec().traffic.virtualServices = List.of("api");
        KubernetesClientException refused = org.junit.jupiter.api.Assertions.assertThrows(KubernetesClientException.class,
                () -> f.create(both));
        assertEquals(422, refused.getCode());
        assertTrue(refused.getMessage().contains("set one or the other"), refused.getMessage());
        assertNull(f.getCanary("api"));
    }
}
