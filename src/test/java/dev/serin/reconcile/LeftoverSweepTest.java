package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A Canary deleted without its finalizer is gone at once, with no stop: Serin sweeps what it left, from the label and
 * annotations alone, in the stop's order (weight to 0 and settle, pods, original routes and settle, subsets).
 */
@QuarkusTest
@WithStrictApiServer
class LeftoverSweepTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;
    @Inject
    Controller controller;

    @Test
    void aCanaryDeletedWithoutItsFinalizerIsStoppedFromWhatItLeft() {
        Fixture f = new Fixture(client).service("api", 40);
        JsonNode vsBefore = f.vs("api");
        JsonNode drBefore = f.dr("api");
        try (StopRecorder recorder = StopRecorder.start(f, "api", "api-canary")) {
            startAt3Percent(f, recorder, "api");
            forceDelete(f, "api");
            recorder.releasePodsOnceDeleting();
            awaitSwept(f, "api", vsBefore, drBefore);
            assertEquals(List.of(), recorder.canaryWeightedAfterPodsWent());
        }
        assertEquals(vsBefore.at("/metadata/annotations"), f.vs("api").at("/metadata/annotations"));
        assertEquals(drBefore.at("/metadata/annotations"), f.dr("api").at("/metadata/annotations"));
        await().atMost(DEADLINE).until(() -> f.eventReasons().containsAll(List.of("TrafficShifted", "RoutesRestored",
                "Stopped")));
        assertSteady(f);
    }

    @Test
    void whatACanaryLeftWhileSerinWasDownIsSweptWhenTheCachesSync() {
        Fixture f = new Fixture(client).service("api", 40);
        JsonNode vsBefore = f.vs("api");
        JsonNode drBefore = f.dr("api");
        try (StopRecorder recorder = StopRecorder.start(f, "api", "api-canary")) {
            startAt3Percent(f, recorder, "api");
            controller.stop();
            try {
                forceDelete(f, "api");
            } finally {
                controller.start();
            }
            recorder.releasePodsOnceDeleting();
            awaitSwept(f, "api", vsBefore, drBefore);
            assertEquals(List.of(), recorder.canaryWeightedAfterPodsWent());
        }
        assertEquals(vsBefore.at("/metadata/annotations"), f.vs("api").at("/metadata/annotations"));
        await().atMost(DEADLINE).until(controller::started);
        assertSteady(f);
    }

    @Test
    void theVirtualServiceAndRuleSerinCreatedAreSweptLast() {
        Fixture f = new Fixture(client);
        f.deployment("web", 40, Map.of("app", "web", "version", "v1"));
        try (StopRecorder recorder = StopRecorder.start(f, "web", "web-canary")) {
            f.create(f.canary("web", "web", 3, "v2"));
            recorder.holdPods();
            f.markReady("web-canary");
            await().atMost(DEADLINE).until(() -> f.vs("web") != null
                    && f.vs("web").at("/spec/http/0/route/1/weight").asInt() == 3);
            await().atMost(DEADLINE).until(controller::idle);
            forceDelete(f, "web");
            recorder.releasePodsOnceDeleting();
            await().atMost(DEADLINE).until(() -> f.vs("web") == null && f.dr("web") == null
                    && f.deploymentNow("web-canary") == null);
            assertEquals(List.of(), recorder.canaryWeightedAfterPodsWent());
        }
        assertSteady(f);
    }

    /** The sweep will remove the canary subset: a new Canary on the same routes waits until it is done. */
    @Test
    void aNewCanaryOnTheSameRoutesWaitsUntilTheSweepIsDone() {
        Fixture f = new Fixture(client).service("api", 40);
        List<Set<String>> splitBy;
        try (StopRecorder recorder = StopRecorder.start(f, "api", "api-canary")) {
            startAt3Percent(f, recorder, "api");
            forceDelete(f, "api");
            f.create(f.canary("next", "api", 3, "v3"));
            await().atMost(DEADLINE).until(() -> {
                var status = f.getCanary("next").getStatus();
                var valid = status == null ? null : Conditions.find(status.conditions, "Valid");
                return valid != null && "PreviousCanaryStopping".equals(valid.getReason());
            });
            recorder.releasePodsOnceDeleting();
            f.markReady("next-canary");
            await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3"))
                    && "v3".equals(f.dr("api").at("/spec/subsets/2/labels/version").asText()));
            splitBy = recorder.splitBy();
        }
        // one Canary at a time on the VirtualService: none, api's versions, none again, then next's
        List<Set<String>> owners = new java.util.ArrayList<>();
        splitBy.stream().filter(s -> owners.isEmpty() || !owners.get(owners.size() - 1).equals(s)).forEach(owners::add);
        assertEquals(List.of(Set.of(), Set.of("api"), Set.of(), Set.of("next")), owners);
        assertNull(f.deploymentNow("api-canary"));
    }

    void startAt3Percent(Fixture f, StopRecorder recorder, String name) {
        f.create(f.canary(name, name, 3, "v2"));
        recorder.holdPods();
        f.markReady(name + "-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute(name).equals(List.of("stable=97", "canary=3")));
        await().atMost(DEADLINE).until(controller::idle);
    }

    /**
     * As a person forces it: take Serin's finalizer off, then delete that very version (a precondition, so a finalizer
     * Serin puts back in between makes the delete fail and the person try again). The Canary is gone at once.
     */
    static void forceDelete(Fixture f, String name) {
        var canaries = f.client.resources(Canary.class).inNamespace(f.namespace);
        Fixture.retryOnConflict(() -> {
            Canary bare = canaries.withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"finalizers\":null}}");
            return canaries.withName(name).lockResourceVersion(bare.getMetadata().getResourceVersion()).delete();
        });
        assertNull(f.getCanary(name));
    }

    static void awaitSwept(Fixture f, String name, JsonNode vsBefore, JsonNode drBefore) {
        await().atMost(DEADLINE).until(() -> f.deploymentNow(name + "-canary") == null
                && Objects.equals(vsBefore.get("spec"), f.vs(name).get("spec"))
                && Objects.equals(drBefore.get("spec"), f.dr(name).get("spec"))
                && f.vs(name).at("/metadata/annotations").isMissingNode()
                && f.dr(name).at("/metadata/annotations").isMissingNode());
    }

    /** Nothing left to sweep: another pass over every Canary and leftover writes nothing. */
    void assertSteady(Fixture f) {
        await().atMost(DEADLINE).until(controller::idle);
        Map<String, String> before = f.snapshot();
        controller.resync();
        await().atMost(DEADLINE).until(controller::idle);
        assertEquals(before, f.snapshot());
    }
}
