package dev.serin.autopilot;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.reconcile.Controller;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A deleted Canary leaves no per-Canary series at /q/metrics. */
@QuarkusTest
@WithStrictApiServer
class StaleMetricsTest {
    static final Duration DEADLINE = Duration.ofSeconds(60); // a loaded CI machine: /q/metrics may take seconds

    @Strict
    KubernetesClient client;
    @Inject
    Controller controller;
    @Inject
    Autopilot autopilot;

    @Test
    void aDeletedCanaryLeavesNoWeightOrStepSeries() {
        Fixture f = new Fixture(client).service("api", 40);
        Canary c = f.canary("api", "api", 1, "v2");
        c.getSpec().canary.replicas = 2;
        c.getSpec().autopilot = new AutopilotSpec();
        c.getSpec().autopilot.steps = List.of(1.0, 5.0);
        c.getSpec().autopilot.interval = "5m";
        c.getSpec().autopilot.progressDeadline = "10m";
        f.create(c);
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=99", "canary=1")));
        String tags = "{name=\"api\",namespace=\"" + f.namespace + "\"}";
        await().atMost(DEADLINE).untilAsserted(() -> {
            autopilot.tick(); // first sight, once the cache has the Canary's status: step 0
            given().get("/q/metrics").then().statusCode(200)
                .body(containsString("serin_canary_weight" + tags))
                    .body(containsString("serin_canary_step" + tags));
        });

        client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
        await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(not(containsString("serin_canary_weight" + tags)))
                .body(not(containsString("serin_canary_desired_weight" + tags)))
                .body(not(containsString("serin_canary_step" + tags))));
    }
}
