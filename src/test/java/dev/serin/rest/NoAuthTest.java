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
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** serin.api.auth=none: no token needed, nothing reviewed; no dashboard template configured. */
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
        given().delete("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(202);
        // errors still come as problems
        given().contentType(ContentType.JSON).body("{\"weight\": 4}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                .statusCode(404).contentType("application/problem+json");
        assertEquals(reviews, FakeKubeAuth.tokenReviews.size(), "no TokenReview with auth=none");
    }
}
