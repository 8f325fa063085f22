package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithStrictApiServer
class DriftTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;

    @Test
    void aHandEditOfTheWeightsIsRevertedWithAnEvent() {
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 3, "v2"));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));
        await().atMost(DEADLINE).until(() -> "True".equals(
                Conditions.find(f.getCanary("api").getStatus().conditions, "TrafficApplied").getStatus()));

        client.genericKubernetesResources(f.istio.virtualServices()).inNamespace(f.namespace).withName("api")
                .edit(vs -> {
                    @SuppressWarnings("unchecked")
                    var http = (List<java.util.Map<String, Object>>) ((java.util.Map<String, Object>) vs
                            .getAdditionalProperties().get("spec")).get("http");
                    @SuppressWarnings("unchecked")
                    var route = (List<java.util.Map<String, Object>>) http.get(1).get("route");
                    route.get(0).put("weight", 50);
                    route.get(1).put("weight", 50);
                    return vs;
                });
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("DriftReverted"));
    }

    @Test
    void aGitOpsSyncOfTheOriginalRouteIsSplitAgainAndStopRestoresTheSyncedVersion() {
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 3, "v2"));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));
        client.genericKubernetesResources(f.istio.virtualServices()).inNamespace(f.namespace).withName("api")
                .edit(vs -> {
                    @SuppressWarnings("unchecked")
                    var http = (List<java.util.Map<String, Object>>) ((java.util.Map<String, Object>) vs
                            .getAdditionalProperties().get("spec")).get("http");
                    http.get(1).put("route", List.of(java.util.Map.of("destination",
                            java.util.Map.of("host", "api", "port", java.util.Map.of("number", 8080)))));
                    return vs;
                });
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));
        assertEquals(8080, f.vs("api").at("/spec/http/1/route/1/destination/port/number").asInt());

        client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
        await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
        assertEquals(List.of("-=-"), f.mainRoute("api")); // one destination, no subset, no weight
        assertEquals(8080, f.vs("api").at("/spec/http/1/route/0/destination/port/number").asInt());
    }

    @Test
    void noVirtualServiceVersionEverNamesASubsetTheRuleLacks() throws Exception {
        Fixture f = new Fixture(client).service("api", 40);
        // every version of each object, by resourceVersion: the two watches are two connections, so their events may
        // arrive in either order; the server's resourceVersions say which DestinationRule a VirtualService met
        java.util.NavigableMap<Long, Set<String>> ruleVersions = new java.util.concurrent.ConcurrentSkipListMap<>();
        java.util.NavigableMap<Long, List<String>> serviceVersions = new java.util.concurrent.ConcurrentSkipListMap<>();
        ruleVersions.put(0L, Set.of("legacy"));
        Watch rules = client.genericKubernetesResources(f.istio.destinationRules()).inNamespace(f.namespace)
                .watch(new Recorder(r -> {
                    Set<String> names = new HashSet<>();
                    Fixture.JSON.convertValue(r, JsonNode.class).at("/spec/subsets")
                            .forEach(s -> names.add(s.path("name").asText()));
                    ruleVersions.put(Long.parseLong(r.getMetadata().getResourceVersion()), names);
                }));
        Watch services = client.genericKubernetesResources(f.istio.virtualServices()).inNamespace(f.namespace)
                .watch(new Recorder(r -> {
                    List<String> named = new ArrayList<>();
                    for (JsonNode route : Fixture.JSON.convertValue(r, JsonNode.class).at("/spec/http")) {
                        for (JsonNode d : route.path("route")) {
                            named.add(d.path("destination").path("subset").asText(""));
                        }
                    }
                    serviceVersions.put(Long.parseLong(r.getMetadata().getResourceVersion()), named);
                }));
        try {
            f.create(f.canary("api", "api", 3, "v2"));
            f.markReady("api-canary");
            await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));
            f.setWeight("api", 50);
            await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary").getSpec().getReplicas() == 20);
            f.markReady("api-canary");
            await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=1", "canary=1")));
            client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
            await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
            await().atMost(DEADLINE).until(() -> !ruleVersions.lastEntry().getValue().contains("canary")
                    && serviceVersions.values().stream().anyMatch(names -> names.contains("canary")));
        } finally {
            rules.close();
            services.close();
        }
        List<String> violations = new ArrayList<>();
        serviceVersions.forEach((version, named) -> named.stream()
                .filter(subset -> !subset.isEmpty() && !ruleVersions.lowerEntry(version).getValue().contains(subset))
                .forEach(subset -> violations.add(version + " names " + subset)));
        assertEquals(List.of(), violations);
    }

    record Recorder(java.util.function.Consumer<GenericKubernetesResource> onChange)
            implements Watcher<GenericKubernetesResource> {
        @Override
        public void eventReceived(Action action, GenericKubernetesResource resource) {
            if (action != Action.DELETED) {
                onChange.accept(resource);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }
}
