package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.strict.Strict;
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
