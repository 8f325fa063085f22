package dev.serin.autopilot;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.reconcile.Controller;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** pause, resume, abort and promote by REST: each only patches the Canary; the controller does the rest. */
@QuarkusTest
@WithStrictApiServer
class AutopilotRestTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;
    @Inject
    Controller controller;
    @Inject
    Autopilot autopilot;

    Fixture f;

    @AfterEach
    void cleanUp() {
        if (f != null && f.getCanary("api") != null) {
            client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
            await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
        }
    }

    void start() {
        f = new Fixture(client).service("api", 40);
        Canary c = f.canary("api", "api", 5, "v2");
        c.getSpec().canary.replicas = 4;
        c.getSpec().autopilot = new AutopilotSpec();
        c.getSpec().autopilot.steps = List.of(5.0, 10.0);
        c.getSpec().autopilot.interval = "5m";
        f.create(c);
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=19", "canary=1")));
        await().atMost(DEADLINE).until(controller::idle);
        autopilot.tick();
        await().atMost(DEADLINE).until(() -> f.getCanary("api").getStatus().nextStepAt != null);
    }

    Phase phase() {
        return f.getCanary("api").getStatus().phase;
    }

    @Test
    void pauseAndResume() {
        start();
        given().contentType(ContentType.JSON).post("/api/v1/namespaces/{ns}/canaries/api/pause", f.namespace).then().statusCode(200)
                .body("name", equalTo("api")).body("stepIndex", equalTo(0)).body("nextStepAt", notNullValue());
        assertTrue(f.getCanary("api").getSpec().paused);
        await().atMost(DEADLINE).until(() -> phase() == Phase.Paused);
        given().contentType(ContentType.JSON).post("/api/v1/namespaces/{ns}/canaries/api/resume", f.namespace).then().statusCode(200);
        await().atMost(DEADLINE).until(() -> phase() == Phase.Progressing);
    }

    @Test
    void abortRollsBackAndResumeStartsAgain() {
        start();
        given().contentType(ContentType.JSON).post("/api/v1/namespaces/{ns}/canaries/api/abort", f.namespace).then().statusCode(200);
        await().atMost(DEADLINE).until(() -> phase() == Phase.Aborted);
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=-")));
        assertEquals(5.0, f.getCanary("api").getSpec().weight, "an abort withdraws the traffic, not spec.weight");
        await().atMost(DEADLINE).until(() -> Double.valueOf(0).equals(f.getCanary("api").getStatus().weight));
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("AbortedByUser")); // Events are sent asynchronously
        assertEquals(null, f.getCanary("api").getMetadata().getAnnotations().get(CanaryActions.ANNOTATION));

        given().contentType(ContentType.JSON).post("/api/v1/namespaces/{ns}/canaries/api/resume", f.namespace).then().statusCode(200);
        await().atMost(DEADLINE).until(() -> phase() == Phase.Progressing);
    }

    @Test
    void promoteByRequest() {
        start();
        given().contentType(ContentType.JSON).post("/api/v1/namespaces/{ns}/canaries/api/promote", f.namespace).then().statusCode(200);
        await().atMost(DEADLINE).until(() -> "registry.example/api:v2".equals(
                f.deploymentNow("api").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
        f.markReady("api");
        await().atMost(Duration.ofSeconds(30)).until(() -> phase() == Phase.Succeeded);
        assertEquals(List.of("-=-"), f.mainRoute("api"));
    }

    @Test
    void unknownCanaryIs404() {
        f = new Fixture(client);
        given().contentType(ContentType.JSON).post("/api/v1/namespaces/{ns}/canaries/nope/abort", f.namespace).then().statusCode(404)
                .contentType("application/problem+json");
    }
}
