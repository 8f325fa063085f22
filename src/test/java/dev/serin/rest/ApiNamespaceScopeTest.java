package dev.serin.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST API serves only serin.namespaces: elsewhere it answers 404 as for a namespace that does not exist, for
 * lists, reads and writes, whatever the caller's rights — after 401 (no valid token), before 403.
 */
@QuarkusTest
@TestProfile(ApiNamespaceScopeTest.Profile.class)
@WithStrictApiServer
class ApiNamespaceScopeTest {
    static final String SERVED = "served-a";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("serin.api.auth", "kubernetes",
                    "quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN",
                    "serin.namespaces", SERVED + ",served-b");
        }
    }

    @Strict
    StrictApiServer server;

    @Strict
    KubernetesClient client;

    String outside;
    String canaryName;
    String token;
    String user;

    @BeforeEach
    void setUp() {
        FakeKubeAuth.install(server);
        if (client.namespaces().withName(SERVED).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(SERVED).endMetadata().build())
                    .create();
        }
        outside = Fixtures.namespace(client, "outside");
        canaryName = "web-" + outside;
        user = "user-" + outside;
        token = "token-" + outside;
        FakeKubeAuth.user(token, user);
        Fixtures.canary(client, outside, "web", "web", 5, null);
        Fixtures.canary(client, SERVED, canaryName, canaryName, 5, null);
    }

    RequestSpecification as(String bearer) {
        return given().header("Authorization", "Bearer " + bearer);
    }

    @Test
    void outsideTheServedNamespacesEverythingIs404WhateverTheRights() {
        FakeKubeAuth.allow(user, "*", "get", "list", "patch", "create", "delete");
        Canary before = Fixtures.get(client, outside, "web");

        as(token).get("/api/v1/namespaces/{ns}/canaries", outside).then().statusCode(404)
                .body("detail", equalTo("Namespace " + outside + " does not exist"));
        as(token).get("/api/v1/namespaces/{ns}/canaries/web", outside).then().statusCode(404);
        as(token).contentType(ContentType.JSON).body("{\"weight\": 50}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", outside).then().statusCode(404);
        as(token).contentType(ContentType.JSON).body("{\"target\": \"api\"}")
                .post("/api/v1/namespaces/{ns}/canaries", outside).then().statusCode(404);
        as(token).post("/api/v1/namespaces/{ns}/canaries/web/promote", outside).then().statusCode(404);
        as(token).delete("/api/v1/namespaces/{ns}/canaries/web", outside).then().statusCode(404);

        Canary after = Fixtures.get(client, outside, "web");
        assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
        assertNull(Fixtures.get(client, outside, "api"));
        // the same caller is served in a watched namespace
        as(token).get("/api/v1/namespaces/{ns}/canaries/{name}", SERVED, canaryName).then().statusCode(200);
    }

    @Test
    void unauthenticatedIs401FirstAndForbiddenComesAfter404() {
        given().get("/api/v1/namespaces/{ns}/canaries/web", outside).then().statusCode(401);
        as("forged-" + outside).get("/api/v1/namespaces/{ns}/canaries", outside).then().statusCode(401);
        // no rights at all: 404 outside, 403 inside
        as(token).get("/api/v1/namespaces/{ns}/canaries/web", outside).then().statusCode(404);
        as(token).get("/api/v1/namespaces/{ns}/canaries/{name}", SERVED, canaryName).then().statusCode(403)
                .body("detail", containsString(user));
    }

    @Test
    void theAllNamespacesListHoldsOnlyServedNamespaces() {
        FakeKubeAuth.allow(user, "", "list");
        List<String> namespaces = as(token).get("/api/v1/canaries").then().statusCode(200)
                .extract().jsonPath().getList("namespace", String.class);
        List<String> names = as(token).get("/api/v1/canaries").then().statusCode(200)
                .extract().jsonPath().getList("name", String.class);
        assertEquals(List.of(SERVED), namespaces.stream().distinct().toList());
        assertEquals(true, names.contains(canaryName));
    }
}
