package dev.serin.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.util.List;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * serin.api.auth=none: no token needed, nothing reviewed; no dashboard template configured. But only for requests a
 * web page on another site cannot make: a change must be sent as JSON, and the Host must be this machine by address.
 */
@QuarkusTest
@TestProfile(NoAuthProfile.class)
@WithStrictApiServer
class NoAuthTest {
    @Strict
    KubernetesClient client;

    @Test
    void anyoneMayCallWithoutToken() {
        String ns = Fixtures.namespace(client, "open");
        int reviews = FakeKubeAuth.tokenReviews.size();
        given().contentType(ContentType.JSON).body("{\"target\": \"web\", \"weight\": 3}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then()
                .statusCode(201).body("dashboardUrl", nullValue());
        given().get("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(200).body("desiredWeight", equalTo(3.0f));
        given().contentType(ContentType.JSON).body("{\"weight\": 4}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then().statusCode(200);
        given().get("/api/v1/canaries").then().statusCode(200);
        assertEquals(4.0, Fixtures.get(client, ns, "web").getSpec().weight);
        given().contentType(ContentType.JSON).delete("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(202);
        // errors still come as problems
        given().contentType(ContentType.JSON).body("{\"weight\": 4}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                .statusCode(404).contentType("application/problem+json");
        assertEquals(reviews, FakeKubeAuth.tokenReviews.size(), "no TokenReview with auth=none");
    }

    static final String PAUSE = "/api/v1/namespaces/{ns}/canaries/web/pause";

    /** What a page on another site can send without asking the browser first: a form, plain text, no body at all. */
    @Test
    void aChangeThatIsNotJsonIsRefused() {
        String ns = Fixtures.namespace(client, "csrf");
        Fixtures.canary(client, ns, "web", "web", 3, null);

        given().contentType(ContentType.URLENC).formParam("x", "y").post(PAUSE, ns).then()
                .statusCode(415).contentType("application/problem+json");
        given().contentType(ContentType.TEXT).body("{}").post(PAUSE, ns).then().statusCode(415);
        given().post(PAUSE, ns).then().statusCode(415);
        given().contentType(ContentType.TEXT).delete("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(415);
        assertEquals(null, Fixtures.get(client, ns, "web").getSpec().paused, "nothing changed");
        assertEquals(3.0, Fixtures.get(client, ns, "web").getSpec().weight);

        given().contentType("application/json; charset=utf-8").post(PAUSE, ns).then().statusCode(200);
        assertEquals(Boolean.TRUE, Fixtures.get(client, ns, "web").getSpec().paused);
    }

    /** A page whose name was rebound to 127.0.0.1 (DNS rebinding) sends its own name as Host. */
    @Test
    void onlyRequestsAddressedToThisMachineAreAnswered() {
        String ns = Fixtures.namespace(client, "rebind");
        Fixtures.canary(client, ns, "web", "web", 3, null);
        int port = RestAssured.port;

        for (String host : List.of("evil.example:" + port, "localhost:" + (port + 1), "127.0.0.1.evil.example:" + port,
                "serin.localhost:" + port, "localhost")) {
            given().header("Host", host).contentType(ContentType.JSON).post(PAUSE, ns).then()
                    .statusCode(403).contentType("application/problem+json");
            given().header("Host", host).get("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(403);
        }
        assertEquals(null, Fixtures.get(client, ns, "web").getSpec().paused, "nothing changed");

        for (String host : List.of("localhost:" + port, "LocalHost:" + port, "127.0.0.1:" + port, "[::1]:" + port)) {
            given().header("Host", host).get("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(200);
        }
        given().header("Host", "127.0.0.1:" + port).contentType(ContentType.JSON).post(PAUSE, ns).then().statusCode(200);
        assertEquals(Boolean.TRUE, Fixtures.get(client, ns, "web").getSpec().paused);
    }
}
