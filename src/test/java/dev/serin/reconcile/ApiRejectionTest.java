package dev.serin.reconcile;

import dev.serin.IstioDiscovery;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A write the API server refuses with a 4xx that retrying cannot fix: the Canary fails with the server's message
 * and one Event, and the write is tried again only for a new spec or at the longest back-off.
 */
@QuarkusTest
// fabric8's plain mock: its expectations inject the refusals this test is about
@WithKubernetesTestServer(crud = true, setup = IstioDiscovery.V1.class)
@TestProfile(ApiRejectionTest.Profile.class)
class ApiRejectionTest {
    /** Long enough that a retry at it cannot be mistaken for a prompt one, even on a busy machine. */
    static final Duration MAX_BACKOFF = Duration.ofSeconds(4);
    static final Duration DEADLINE = Duration.ofSeconds(20);

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("serin.reconcile.max-backoff", MAX_BACKOFF.toMillis() + "ms");
        }
    }

    @KubernetesTestServer
    KubernetesServer server;
    @Inject
    KubernetesClient client;
    @Inject
    EventRecorder events;

    static String status(int code, String reason, String message) {
        return Fixture.JSON.asJson(new StatusBuilder().withApiVersion("v1").withKind("Status").withStatus("Failure")
                .withCode(code).withReason(reason).withMessage(message).build());
    }

    static Condition awaitRejected(Fixture f, String message) {
        await().atMost(DEADLINE).until(() -> {
            Canary c = f.getCanary("api");
            Condition traffic = c == null || c.getStatus() == null ? null
                    : Conditions.find(c.getStatus().conditions, "TrafficApplied");
            return traffic != null && "ApiRejected".equals(traffic.getReason());
        });
        Canary c = f.getCanary("api");
        assertEquals(Phase.Failed, c.getStatus().phase);
        Condition traffic = Conditions.find(c.getStatus().conditions, "TrafficApplied");
        assertEquals("False", traffic.getStatus());
        assertEquals(message, traffic.getMessage());
        return traffic;
    }

    long rejectedEvents(Fixture f) {
        await().atMost(DEADLINE).until(events::idle);
        // an identical Event is counted on the first one (as client-go does): count what was recorded
        return f.events().stream().filter(e -> "ApiRejected".equals(e.getReason()) && "Warning".equals(e.getType()))
                .mapToLong(e -> e.getCount() == null ? 1 : e.getCount()).sum();
    }

    @Test
    void aRefusedWriteFailsTheCanaryOnceAndIsTriedAgainOnlyForANewSpecOrAtTheLongestBackoff() {
        Fixture f = new Fixture(client).service("api", 40);
        String message = "Deployment.apps \"api-canary\" is invalid: spec.template.metadata.labels: Invalid value: "
                + "\"v2\": a test refusal";
        List<Instant> attempts = new CopyOnWriteArrayList<>();
        server.expect().post().withPath("/apis/apps/v1/namespaces/" + f.namespace + "/deployments?fieldManager=serin")
                .andReply(422, request -> {
                    attempts.add(Instant.now());
                    return status(422, "Invalid", message);
                }).always();
        f.create(f.canary("api", "api", 3, "v2"));

        awaitRejected(f, message);
        assertEquals(List.of("stable=-"), f.mainRoute("api"), "pinned to the stable subset, no weight to the canary");
        String routes = f.vs("api").at("/metadata/resourceVersion").asText();

        await().atMost(DEADLINE).until(() -> attempts.size() >= 3);
        for (int i = 1; i < attempts.size(); i++) {
            Duration gap = Duration.between(attempts.get(i - 1), attempts.get(i));
            assertTrue(gap.compareTo(MAX_BACKOFF.minusMillis(100)) >= 0, "attempt " + i + " came after " + gap);
        }
        assertEquals(1, rejectedEvents(f));
        assertEquals(routes, f.vs("api").at("/metadata/resourceVersion").asText(), "handling it changes no route");
        assertNull(f.deploymentNow("api-canary"));

        // a new spec is tried at once, well before the longest back-off is over
        int before = attempts.size();
        Instant last = attempts.get(before - 1);
        f.setWeight("api", 5);
        long generation = f.getCanary("api").getMetadata().getGeneration();
        await().atMost(DEADLINE).until(() -> attempts.size() > before);
        Duration after = Duration.between(last, attempts.get(before));
        assertTrue(after.compareTo(MAX_BACKOFF.minusMillis(500)) < 0, "the new spec was tried only after " + after);
        await().atMost(DEADLINE).until(() -> Long.valueOf(generation).equals(Conditions.find(
                f.getCanary("api").getStatus().conditions, "TrafficApplied").getObservedGeneration()));
        awaitRejected(f, message);
        assertEquals(2, rejectedEvents(f), "the new spec's rejection is a new one");
        assertEquals(List.of("stable=-"), f.mainRoute("api"));
    }

    @Test
    void aRefusedStepOfAStopFailsTheCanaryAndTheStopCarriesOnAtTheLongestBackoff() {
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 3, "v2"));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));
        String message = "deployments.apps \"api-canary\" is forbidden: User \"system:serviceaccount:serin-system:serin\""
                + " cannot delete resource \"deployments\" in API group \"apps\" in the namespace \"" + f.namespace + "\"";
        server.expect().delete().withPath("/apis/apps/v1/namespaces/" + f.namespace + "/deployments/api-canary")
                .andReturn(403, status(403, "Forbidden", message)).once();

        client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
        awaitRejected(f, message);
        assertEquals(List.of("stable=-"), f.mainRoute("api"), "the weight went to 0 before the refused step");

        // the permission is back (the expectation answered once): the retry at the longest back-off finishes the stop
        await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
        assertNull(f.deploymentNow("api-canary"));
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("Stopped"));
        assertEquals(1, rejectedEvents(f));
    }
}
