package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The canary Deployment is Serin's, and traffic follows the canary pods that are ready. */
@QuarkusTest
@WithStrictApiServer
class CanaryPodsTest {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    @Strict
    KubernetesClient client;
    @Strict
    StrictApiServer server;
    @Inject
    Controller controller;

    /** api at 10 %: 4 canary pods for 40 stable ones. */
    Fixture running() {
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 10, "v2"));
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary") != null);
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=9", "canary=1")));
        return f;
    }

    @Test
    void scalingTheCanaryDeploymentByHandIsRevertedAtOnceWithAnEvent() {
        Fixture f = running();
        Fixture.retryOnConflict(() -> client.apps().deployments().inNamespace(f.namespace).withName("api-canary")
                .edit(d -> {
                    d.getSpec().setReplicas(0);
                    return d;
                }));
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary").getSpec().getReplicas() == 4);
        await().atMost(DEADLINE).until(() -> f.events().stream().anyMatch(e -> "DriftReverted".equals(e.getReason())
                && "Warning".equals(e.getType()) && e.getMessage().contains("Deployment api-canary")));
    }

    @Test
    void aHandEditOfTheCanaryPodTemplateIsRevertedAndTheSteadyStateWritesNothing() {
        Fixture f = running();
        Fixture.retryOnConflict(() -> client.apps().deployments().inNamespace(f.namespace).withName("api-canary")
                .edit(d -> {
                    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("registry.example/other:1");
                    return d;
                }));
        await().atMost(DEADLINE).until(() -> "registry.example/api:v2".equals(
                f.deploymentNow("api-canary").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("DriftReverted"));

        f.markReady("api-canary");
        await().atMost(DEADLINE).until(controller::idle);
        var before = f.snapshot();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> f.snapshot().equals(before));
    }

    @Test
    void whenTheCanaryPodsAreLostTheWeightGoesToWhatTheReadyOnesCarryUntilTheyRecover() {
        Fixture f = running();
        setReady(f, 0);
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").stream().noneMatch(d -> d.startsWith("canary=")));
        await().atMost(DEADLINE).until(() -> {
            var c = Conditions.find(f.getCanary("api").getStatus().conditions, "TrafficApplied");
            return "False".equals(c.getStatus()) && "CanaryPodsUnavailable".equals(c.getReason());
        });
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("CanaryPodsUnavailable"));
        assertEquals(10.0, f.getCanary("api").getSpec().weight, "spec.weight is the person's: kept");

        setReady(f, 2); // half of the 4 pods: 2 of 40 stable pods' worth, 5 %
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=19", "canary=1")));

        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=9", "canary=1")));
        await().atMost(DEADLINE).until(() -> Conditions.isTrue(f.getCanary("api").getStatus().conditions, "TrafficApplied"));
        assertTrue(f.deploymentNow("api-canary").getSpec().getReplicas() == 4);
    }

    @Test
    void withFixedReplicasTheLoweredWeightIsHalfOfSpecWeightForHalfThePodsAndStaysThere() {
        Fixture f = new Fixture(client).service("api", 40);
        Canary c = f.canary("api", "api", 1, "v2");
        c.getSpec().canary.replicas = 4;
        f.create(c);
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=99", "canary=1")));

        setReady(f, 2); // 2 of the 4 pods spec.weight 1 % is sized for: 0.5 %
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=199", "canary=1"))
                && Double.valueOf(0.5).equals(f.getCanary("api").getStatus().weight));
        await().atMost(DEADLINE).until(controller::idle);

        // the pods stay as they are: further passes find the weight where it should be and write no route
        long routeWrites = routeWrites(f);
        for (int i = 0; i < 3; i++) {
            controller.resync();
            await().atMost(DEADLINE).until(controller::idle);
        }
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> routeWrites(f) == routeWrites && f.mainRoute("api").equals(List.of("stable=199", "canary=1")));
        assertEquals(0.5, f.getCanary("api").getStatus().weight);
        assertEquals(1.0, f.getCanary("api").getSpec().weight, "spec.weight is the person's: kept");
        var applied = Conditions.find(f.getCanary("api").getStatus().conditions, "TrafficApplied");
        assertEquals("CanaryPodsUnavailable", applied.getReason());
    }

    /** In the test's own namespace: the server is shared with other classes, whose Canaries Serin still serves. */
    long routeWrites(Fixture f) {
        return server.writes().stream()
                .filter(w -> "virtualservices".equals(w.resource()) && f.namespace.equals(w.namespace())).count();
    }

    void setReady(Fixture f, int ready) {
        Fixture.retryOnConflict(() -> {
            Deployment d = f.deploymentNow("api-canary");
            int replicas = d.getSpec().getReplicas();
            d.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(ready)
                    .withUpdatedReplicas(replicas).withAvailableReplicas(ready)
                    .withObservedGeneration(d.getMetadata().getGeneration()).build());
            return client.apps().deployments().inNamespace(f.namespace).resource(d).updateStatus();
        });
    }
}
