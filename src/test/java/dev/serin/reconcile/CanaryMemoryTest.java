package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What Serin keeps in memory about a Canary (a shortfall of its pods, a fight over its routes) belongs to that Canary:
 * a Canary deleted and created again under the same name starts afresh, and so does a replica that stopped leading
 * and leads again.
 */
@QuarkusTest
@WithStrictApiServer
class CanaryMemoryTest {
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final List<String> SPLIT = List.of("stable=9", "canary=1");

    /** A fight is noticed after 3 reverts and then holds Serin off for a minute: longer than any await here. */
    @BeforeEach
    void longBackoff() {
        DriftSettings.install(3, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120));
    }

    @Strict
    KubernetesClient client;
    @Inject
    Controller controller;
    /** Each VirtualService's routes before its Canary: what the GitOps tool keeps putting back. */
    final Map<String, JsonNode> original = new java.util.concurrent.ConcurrentHashMap<>();

    @Test
    void aCanaryCreatedAgainAfterItsPodsWereLostStartsWithoutTheOldShortfall() {
        Fixture f = running("api");
        setReady(f, "api-canary", 0);
        await().atMost(DEADLINE).until(() -> "CanaryPodsUnavailable".equals(traffic(f, "api").getReason()));

        deleteAndAwaitGone(f, "api");
        f.create(f.canary("api", "api", 10, "v2"));
        // its pods are starting: the weight waits for them, nothing was lost
        await().atMost(DEADLINE).until(() -> "WaitingForCanaryPods".equals(traffic(f, "api").getReason()));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(SPLIT));
    }

    @Test
    void aCanaryCreatedAgainAfterAFightOverItsRoutesIsNotHeldOff() throws Exception {
        Fixture f = running("web");
        fight(f, "web");

        deleteAndAwaitGone(f, "web");
        f.create(f.canary("web", "web", 10, "v2"));
        // not held off: its subsets and routes are written, so its pods are made
        await().atMost(DEADLINE).until(() -> f.deploymentNow("web-canary") != null);
        f.markReady("web-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("web").equals(SPLIT)
                && "True".equals(traffic(f, "web").getStatus()));
    }

    @Test
    void aReplicaThatLeadsAgainDoesNotCarryOnAnOldFight() throws Exception {
        Fixture f = running("shop");
        fight(f, "shop");
        assertNotEquals(SPLIT, f.mainRoute("shop"), "the other writer's routes stand");

        controller.stop(); // as when the lease is lost (exit-on-loss=false) ...
        controller.start(); // ... and won again
        await().atMost(DEADLINE).until(controller::started);
        await().atMost(Duration.ofSeconds(15)).until(() -> f.mainRoute("shop").equals(SPLIT));
    }

    /** {@code name} at 10 % with its pods ready and its weight applied. */
    private Fixture running(String name) {
        Fixture f = new Fixture(client).service(name, 40);
        original.put(name, f.vs(name).at("/spec/http"));
        f.create(f.canary(name, name, 10, "v2"));
        f.markReady(name + "-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute(name).equals(SPLIT) && "True".equals(traffic(f, name).getStatus()));
        return f;
    }

    /**
     * A GitOps tool puts the original routes back every 500 ms until Serin names it a conflicting writer (3 reverts,
     * ~1.5 s); it stops with its routes in place, inside Serin's first back-off.
     */
    private void fight(Fixture f, String name) throws InterruptedException {
        String patch = "{\"spec\":{\"http\":" + original.get(name) + "}}";
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        writer.scheduleAtFixedRate(() -> {
            try {
                client.genericKubernetesResources(f.istio.virtualServices()).inNamespace(f.namespace).withName(name)
                        .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
                                .withFieldManager("kustomize-controller").build(), patch);
            } catch (RuntimeException e) {
                // the next round tries again
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
        try {
            await().atMost(DEADLINE).until(() -> "ConflictingWriter".equals(traffic(f, name).getReason()));
        } finally {
            writer.shutdownNow();
            writer.awaitTermination(5, TimeUnit.SECONDS);
        }
        await().atMost(DEADLINE).until(() -> !f.mainRoute(name).equals(SPLIT));
    }

    private void deleteAndAwaitGone(Fixture f, String name) {
        client.resources(Canary.class).inNamespace(f.namespace).withName(name).delete();
        await().atMost(DEADLINE).until(() -> f.getCanary(name) == null && f.deploymentNow(name + "-canary") == null);
    }

    private void setReady(Fixture f, String deployment, int ready) {
        Fixture.retryOnConflict(() -> {
            Deployment d = f.deploymentNow(deployment);
            int replicas = d.getSpec().getReplicas();
            d.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(ready)
                    .withUpdatedReplicas(replicas).withAvailableReplicas(ready)
                    .withObservedGeneration(d.getMetadata().getGeneration()).build());
            return client.apps().deployments().inNamespace(f.namespace).resource(d).updateStatus();
        });
    }

    private static Condition traffic(Fixture f, String canary) {
        Canary c = f.getCanary(canary);
        Condition found = c == null || c.getStatus() == null ? null : Conditions.find(c.getStatus().conditions, "TrafficApplied");
        return found == null ? new Condition() : found;
    }
}
