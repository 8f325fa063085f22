package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serin.Fixture;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deleting what serves the canary: the strict server plays the garbage collector; {@link StopRecorder} the pods. */
@QuarkusTest
@WithStrictApiServer
class DeletionPropagationTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;

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
            await().atMost(DEADLINE).until(() -> "WaitingForCanaryPods".equals(
                    Conditions.find(f.getCanary("api").getStatus().conditions, "TrafficApplied").getReason()));
            assertEquals(List.of("stable=97", "canary=3"), f.mainRoute("api"));
            recorder.releasePodsOnceDeleting();
        }
    }
}
