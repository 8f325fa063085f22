package dev.serin.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serin.Fixture;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The REST API and the controller together: a weight set by REST is what the VirtualService carries. */
@QuarkusTest
@WithStrictApiServer
class RestToTrafficTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;

    @Test
    void aWeightSetByRestReachesTheVirtualService() {
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 3, "v2"));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));

        given().contentType(ContentType.JSON).body("{\"weight\": 0.5}")
                .put("/api/v1/namespaces/{ns}/canaries/api/weight?wait=10s", f.namespace)
                .then().statusCode(200).body("weight", equalTo(0.5f)).body("desiredWeight", equalTo(0.5f));
        assertEquals(List.of("stable=199", "canary=1"), f.mainRoute("api"));

        given().contentType(ContentType.JSON).body("{\"weight\": 25}")
                .put("/api/v1/namespaces/{ns}/canaries/api/weight", f.namespace).then().statusCode(200);
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary").getSpec().getReplicas() == 10);
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=3", "canary=1")));
    }

    @Test
    void concurrentWeightCallsEndAtTheLastOneAccepted() {
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 3, "v2"));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));

        var one = CompletableFuture.supplyAsync(() -> put(f, 1));
        var two = CompletableFuture.supplyAsync(() -> put(f, 2));
        assertEquals(200, one.join());
        assertEquals(200, two.join());
        double last = f.getCanary("api").getSpec().weight;
        List<String> expected = last == 1 ? List.of("stable=99", "canary=1") : List.of("stable=49", "canary=1");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(expected));
        await().atMost(DEADLINE).until(() -> Double.valueOf(last).equals(f.getCanary("api").getStatus().weight));
    }

    private static int put(Fixture f, double weight) {
        return given().contentType(ContentType.JSON).body("{\"weight\": " + weight + "}")
                .put("/api/v1/namespaces/{ns}/canaries/api/weight", f.namespace).statusCode();
    }
}
