package dev.serin.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.Fixture;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithStrictApiServer
class CanaryLifecycleTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;
    @Inject
    Controller controller;
    @Inject
    EventRecorder events;
    @Inject
    CanaryStopper stopper;

    Fixture startAt(double weight) {
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", weight, "v2"));
        f.markReady("api-canary");
        return f;
    }

    static void awaitRoute(Fixture f, String... destinations) {
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of(destinations)));
    }

    void awaitIdle() {
        await().atMost(DEADLINE).until(controller::idle);
    }

    @Test
    void fractionalWeightsAreWrittenAsExactIntegerRatios() {
        Fixture f = startAt(0.25);
        awaitRoute(f, "stable=399", "canary=1");
        f.setWeight("api", 12.5);
        // ready once Serin has scaled for 12.5 % (5 of 40), or the test's Deployment controller raced it
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary").getSpec().getReplicas() == 5);
        f.markReady("api-canary");
        awaitRoute(f, "stable=7", "canary=1");
        f.setWeight("api", 0);
        awaitRoute(f, "stable=-");
        f.setWeight("api", 100);
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary").getSpec().getReplicas() == 40);
        f.markReady("api-canary");
        awaitRoute(f, "canary=-");
        await().atMost(DEADLINE).until(() -> Double.valueOf(100).equals(f.getCanary("api").getStatus().weight));
    }

    @Test
    void theUsersVirtualServiceKeepsEveryOtherRouteAndField() {
        Fixture f = startAt(3);
        JsonNode before = f.vs("api");
        awaitRoute(f, "stable=97", "canary=3");
        JsonNode after = f.vs("api");
        assertEquals(before.at("/spec/http/0"), after.at("/spec/http/0"));
        for (String field : List.of("retries", "timeout", "headers", "name")) {
            assertEquals(before.at("/spec/http/1/" + field), after.at("/spec/http/1/" + field), field);
        }
        assertEquals(before.at("/spec/hosts"), after.at("/spec/hosts"));
        assertEquals(before.at("/spec/gateways"), after.at("/spec/gateways"));
        assertEquals(80, after.at("/spec/http/1/route/1/destination/port/number").asInt());

        JsonNode rule = f.dr("api");
        assertEquals("legacy", rule.at("/spec/subsets/0/name").asText());
        assertEquals(100, rule.at("/spec/trafficPolicy/connectionPool/tcp/maxConnections").asInt());
        assertEquals(Map.of("stable", "v1", "canary", "v2"), Map.of(
                rule.at("/spec/subsets/1/name").asText(), rule.at("/spec/subsets/1/labels/version").asText(),
                rule.at("/spec/subsets/2/name").asText(), rule.at("/spec/subsets/2/labels/version").asText()));
    }

    @Test
    void raisingTheWeightScalesUpAndWaitsForReadyPodsLoweringDropsWeightBeforePods() {
        Fixture f = startAt(3);
        awaitRoute(f, "stable=97", "canary=3");
        f.setWeight("api", 50);
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary").getSpec().getReplicas() == 20);
        awaitIdle();
        // 20 pods asked for, 2 ready: the weight holds and status says why
        assertEquals(List.of("stable=97", "canary=3"), f.mainRoute("api"));
        Canary waiting = f.getCanary("api");
        assertEquals(3.0, waiting.getStatus().weight);
        assertEquals("WaitingForCanaryPods", Conditions.find(waiting.getStatus().conditions, "TrafficApplied").getReason());
        assertEquals("False", Conditions.find(waiting.getStatus().conditions, "CanaryReady").getStatus());

        f.markReady("api-canary");
        awaitRoute(f, "stable=1", "canary=1");

        f.setWeight("api", 5);
        awaitRoute(f, "stable=19", "canary=1");
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary").getSpec().getReplicas() == 2);
    }

    @Test
    void statusTellsWhatTrafficReallyGets() {
        Fixture f = startAt(3);
        await().atMost(DEADLINE).until(() -> {
            var s = f.getCanary("api").getStatus();
            return s != null && s.phase == Phase.Progressing && Double.valueOf(3).equals(s.weight);
        });
        var s = f.getCanary("api").getStatus();
        assertEquals("api-canary", s.canaryDeployment);
        assertEquals(2, s.replicas);
        assertEquals(2, s.readyReplicas);
        for (String type : List.of("Valid", "CanaryReady", "TrafficApplied")) {
            var c = Conditions.find(s.conditions, type);
            assertEquals("True", c.getStatus(), type);
            assertTrue(c.getLastTransitionTime() != null && c.getReason() != null && c.getMessage() != null);
        }
        await().atMost(DEADLINE).until(() -> f.events().stream().anyMatch(e -> "TrafficShifted".equals(e.getReason())
                && e.getMessage().contains("stable 97, canary 3")));
    }

    /** Issue 19: creation at weight 0 recorded "weight 0 → 0: stable 1, canary 0", a shift that changed nothing. */
    @Test
    void creatingAtWeightZeroIsNoShiftAndTheFirstRealShiftIsReported() {
        Fixture f = startAt(0);
        awaitRoute(f, "stable=-");
        await().atMost(DEADLINE).until(() -> f.getCanary("api").getStatus() != null && "True".equals(Conditions.find(
                f.getCanary("api").getStatus().conditions, "TrafficApplied").getStatus()));
        awaitIdle();
        await().atMost(DEADLINE).until(events::idle);
        assertEquals(List.of(), shifts(f));
        assertTrue(f.eventReasons().contains("CanaryDeploymentCreated"), f.eventReasons().toString()); // at its weight

        f.setWeight("api", 5);
        await().atMost(DEADLINE).until(() -> {
            f.markReady("api-canary"); // the pods the weight waits for
            return shifts(f).equals(List.of("weight 0 → 5: stable 19, canary 1"));
        });
    }

    static List<String> shifts(Fixture f) {
        return f.events().stream().filter(e -> "TrafficShifted".equals(e.getReason())).map(e -> e.getMessage()).toList();
    }

    @Test
    void aSteadyStateMakesNoWritesAndARestartChangesNothing() {
        Fixture f = startAt(3);
        awaitRoute(f, "stable=97", "canary=3");
        await().atMost(DEADLINE).until(() -> "True".equals(Conditions.find(
                f.getCanary("api").getStatus().conditions, "TrafficApplied").getStatus()));
        awaitIdle();
        Map<String, String> before = f.snapshot();

        controller.resync();
        awaitIdle();
        assertEquals(before, f.snapshot());

        controller.stop();
        controller.start();
        await().atMost(DEADLINE).until(controller::started);
        awaitIdle();
        assertEquals(before, f.snapshot());
    }

    @Test
    void theCanaryFollowsANewStableRolloutAndItsOwnSpec() {
        Fixture f = startAt(3);
        awaitRoute(f, "stable=97", "canary=3");
        client.apps().deployments().inNamespace(f.namespace).withName("api").edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(1).setImage("registry.example/sidecar:2");
            return d;
        });
        await().atMost(DEADLINE).until(() -> "registry.example/sidecar:2".equals(
                f.deploymentNow("api-canary").getSpec().getTemplate().getSpec().getContainers().get(1).getImage()));
        Fixture.retryOnConflict(() -> f.client.resources(Canary.class).inNamespace(f.namespace).withName("api").edit(c -> {
            c.getSpec().canary.containers.get(0).image = "registry.example/api:v3";
            return c;
        }));
        await().atMost(DEADLINE).until(() -> "registry.example/api:v3".equals(
                f.deploymentNow("api-canary").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
        var env = f.deploymentNow("api-canary").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertEquals(List.of("MODE=stable", "FLAG=on"), env.stream().map(e -> e.getName() + "=" + e.getValue()).toList());
    }

    @Test
    void stoppingRestoresTheVirtualServiceExactlyAndRemovesWhatSerinAdded() {
        Fixture f = new Fixture(client).service("api", 40);
        JsonNode vsBefore = f.vs("api");
        JsonNode drBefore = f.dr("api");
        f.create(f.canary("api", "api", 3, "v2"));
        f.markReady("api-canary");
        awaitRoute(f, "stable=97", "canary=3");

        client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
        await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
        assertEquals(vsBefore.get("spec"), f.vs("api").get("spec"));
        assertEquals(vsBefore.at("/metadata/annotations"), f.vs("api").at("/metadata/annotations"));
        assertEquals(drBefore.get("spec"), f.dr("api").get("spec"));
        assertNull(f.deploymentNow("api-canary"));
        await().atMost(DEADLINE).until(() -> f.eventReasons().containsAll(List.of("RoutesRestored", "Stopped")));
    }

    /** Issue 23: a pass on a cache still holding the deleted Canary, after its stop finished, recorded Stopped again. */
    @Test
    void aPassOnACacheBehindAStoppedCanaryWritesNothingAndSaysNothingAgain() {
        Fixture f = startAt(3);
        awaitRoute(f, "stable=97", "canary=3");
        Canary behind = f.getCanary("api");
        client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
        await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
        awaitIdle();
        await().atMost(DEADLINE).until(events::idle);
        Map<String, String> before = f.snapshot();

        behind.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z"); // as the cache had it before it was gone
        stopper.stop(behind);

        awaitIdle();
        await().atMost(DEADLINE).until(events::idle);
        assertEquals(before, f.snapshot());
        var stopped = f.events().stream().filter(e -> "Stopped".equals(e.getReason())).toList();
        assertEquals(1, stopped.size(), stopped.toString());
        assertEquals(1, stopped.get(0).getCount());
    }

    @Test
    void missingIstioObjectsAreCreatedLabelledForTheCanaryAndGoWithIt() {
        Fixture f = new Fixture(client);
        f.deployment("web", 4, Map.of("app", "web", "version", "v1"));
        f.create(f.canary("web", "web", 25, "v2"));
        f.markReady("web-canary");
        await().atMost(DEADLINE).until(() -> f.vs("web") != null && f.vs("web").at("/spec/http/0/route").size() == 2);
        JsonNode vs = f.vs("web");
        assertEquals(3, vs.at("/spec/http/0/route/0/weight").asInt());
        assertEquals(1, vs.at("/spec/http/0/route/1/weight").asInt());
        assertEquals("web", vs.at("/metadata/labels/serin.dev~1canary").asText());
        assertEquals("web", f.dr("web").at("/metadata/labels/serin.dev~1canary").asText());
        assertTrue(vs.at("/metadata/ownerReferences").isMissingNode());
        assertTrue(f.dr("web").at("/metadata/ownerReferences").isMissingNode());

        client.resources(Canary.class).inNamespace(f.namespace).withName("web").delete();
        await().atMost(DEADLINE).until(() -> f.getCanary("web") == null);
        assertNull(f.vs("web"));
        assertNull(f.dr("web"));
        await().atMost(DEADLINE).until(() -> !f.events().isEmpty());
    }
}
