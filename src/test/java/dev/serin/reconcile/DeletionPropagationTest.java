package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Deleting a Canary under each propagation policy the garbage collector knows keeps make-before-break: no
 * VirtualService version weights the canary subset once the canary Deployment has started deleting, and the routes
 * come back byte for byte. The strict server plays the garbage collector; {@link StopRecorder} plays the pods.
 */
@QuarkusTest
@WithStrictApiServer
class DeletionPropagationTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;
    @Inject
    Controller controller;

    @ParameterizedTest
    @EnumSource(value = DeletionPropagation.class, names = {"BACKGROUND", "FOREGROUND", "ORPHAN"})
    void theWeightGoesBeforeThePodsAndTheRoutesComeBackExactly(DeletionPropagation policy) {
        Fixture f = new Fixture(client).service("api", 40);
        JsonNode vsBefore = f.vs("api");
        JsonNode drBefore = f.dr("api");
        try (StopRecorder recorder = StopRecorder.start(f, "api", "api-canary")) {
            f.create(f.canary("api", "api", 3, "v2"));
            recorder.holdPods();
            f.markReady("api-canary");
            await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));

            client.resources(Canary.class).inNamespace(f.namespace).withName("api").withPropagationPolicy(policy)
                    .delete();
            recorder.releasePodsOnceDeleting();
            await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
            assertEquals(List.of(), recorder.canaryWeightedAfterPodsWent());
        }
        // every field and value as before (a real API server also returns a custom resource's keys sorted)
        assertEquals(vsBefore.get("spec"), f.vs("api").get("spec"));
        assertEquals(vsBefore.at("/metadata/annotations"), f.vs("api").at("/metadata/annotations"));
        assertEquals(drBefore.get("spec"), f.dr("api").get("spec"));
        assertEquals(drBefore.at("/metadata/annotations"), f.dr("api").at("/metadata/annotations"));
        assertNull(f.deploymentNow("api-canary"));
    }

    @ParameterizedTest
    @EnumSource(value = DeletionPropagation.class, names = {"BACKGROUND", "FOREGROUND", "ORPHAN"})
    void whatSerinCreatedGoesLastWhateverThePolicy(DeletionPropagation policy) {
        Fixture f = new Fixture(client);
        f.deployment("web", 40, Map.of("app", "web", "version", "v1"));
        try (StopRecorder recorder = StopRecorder.start(f, "web", "web-canary")) {
            f.create(f.canary("web", "web", 3, "v2"));
            recorder.holdPods();
            f.markReady("web-canary");
            await().atMost(DEADLINE).until(() -> f.vs("web") != null
                    && f.vs("web").at("/spec/http/0/route/1/weight").asInt() == 3);
            assertLabelledNotOwned(f.vs("web"));
            assertLabelledNotOwned(f.dr("web"));

            client.resources(Canary.class).inNamespace(f.namespace).withName("web").withPropagationPolicy(policy)
                    .delete();
            recorder.releasePodsOnceDeleting();
            await().atMost(DEADLINE).until(() -> f.getCanary("web") == null);
            assertEquals(List.of(), recorder.canaryWeightedAfterPodsWent());
        }
        assertNull(f.vs("web"));
        assertNull(f.dr("web"));
        assertNull(f.deploymentNow("web-canary"));
    }

    /** An older Serin set ownerReferences to the Canary: the next reconcile removes them, so foreground cannot reach. */
    @Test
    void ownerReferencesAnOlderSerinSetAreRemovedAndForegroundDeletionThenKeepsMakeBeforeBreak() {
        Fixture f = new Fixture(client);
        f.deployment("web", 40, Map.of("app", "web", "version", "v1"));
        try (StopRecorder recorder = StopRecorder.start(f, "web", "web-canary")) {
            Canary canary = f.create(f.canary("web", "web", 3, "v2"));
            recorder.holdPods();
            f.markReady("web-canary");
            await().atMost(DEADLINE).until(() -> f.vs("web") != null
                    && f.vs("web").at("/spec/http/0/route/1/weight").asInt() == 3);
            await().atMost(DEADLINE).until(controller::idle);

            // as an older Serin made them: owned by the Canary, the Istio objects without the label
            String owned = "{\"metadata\":{\"ownerReferences\":[" + Fixture.JSON.asJson(ownerReference(canary))
                    + "]}}";
            String ownedUnlabelled = "{\"metadata\":{\"labels\":null,\"ownerReferences\":["
                    + Fixture.JSON.asJson(ownerReference(canary)) + "]}}";
            client.apps().deployments().inNamespace(f.namespace).withName("web-canary")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), owned);
            client.genericKubernetesResources(f.istio.virtualServices()).inNamespace(f.namespace).withName("web")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), ownedUnlabelled);
            client.genericKubernetesResources(f.istio.destinationRules()).inNamespace(f.namespace).withName("web")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), ownedUnlabelled);
            controller.resync();
            await().atMost(DEADLINE).until(() -> ownerless(Fixture.JSON.convertValue(f.deploymentNow("web-canary"),
                    JsonNode.class)) && ownerless(f.vs("web")) && ownerless(f.dr("web")));
            assertLabelledNotOwned(f.vs("web"));
            assertLabelledNotOwned(f.dr("web"));
            assertEquals("web", f.deploymentNow("web-canary").getMetadata().getLabels().get(Canary.CANARY_LABEL));

            client.resources(Canary.class).inNamespace(f.namespace).withName("web")
                    .withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
            recorder.releasePodsOnceDeleting();
            await().atMost(DEADLINE).until(() -> f.getCanary("web") == null);
            assertEquals(List.of(), recorder.canaryWeightedAfterPodsWent());
        }
        assertNull(f.vs("web"));
        assertNull(f.dr("web"));
    }

    /** A canary Deployment with a deletionTimestamp has no ready pods: the weight is not raised onto it. */
    @Test
    void aCanaryDeploymentBeingDeletedCountsAsNoReadyPods() {
        Fixture f = new Fixture(client).service("api", 40);
        try (StopRecorder recorder = StopRecorder.start(f, "api", "api-canary")) {
            f.create(f.canary("api", "api", 3, "v2"));
            recorder.holdPods();
            f.markReady("api-canary");
            await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));

            client.apps().deployments().inNamespace(f.namespace).withName("api-canary").delete();
            await().atMost(DEADLINE).until(() -> {
                var s = f.getCanary("api").getStatus();
                var ready = Conditions.find(s.conditions, "CanaryReady");
                return Integer.valueOf(0).equals(s.readyReplicas) && "False".equals(ready.getStatus());
            });
            f.setWeight("api", 4); // still 2 pods: with them ready, the weight would go up at once
            // never raised onto pods being deleted (and, once none has been ready for serin.traffic.settle, lowered)
            await().atMost(DEADLINE).until(() -> java.util.Set.of("WaitingForCanaryPods", "CanaryPodsUnavailable").contains(
                    Conditions.find(f.getCanary("api").getStatus().conditions, "TrafficApplied").getReason()));
            assertTrue(java.util.Set.of(List.of("stable=97", "canary=3"), List.of("stable=-")).contains(f.mainRoute("api")),
                    String.valueOf(f.mainRoute("api")));
            recorder.releasePodsOnceDeleting();
        }
    }

    static OwnerReference ownerReference(Canary canary) {
        return new OwnerReferenceBuilder().withApiVersion(canary.getApiVersion()).withKind(canary.getKind())
                .withName(canary.getMetadata().getName()).withUid(canary.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    static boolean ownerless(JsonNode object) {
        return object.at("/metadata/ownerReferences").isMissingNode() || object.at("/metadata/ownerReferences").isEmpty();
    }

    static void assertLabelledNotOwned(JsonNode object) {
        assertEquals(object.at("/metadata/name").asText(), object.at("/metadata/labels/serin.dev~1canary").asText(),
                object.toString());
        assertTrue(ownerless(object), object.toString());
    }
}
