package dev.serin.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PUT .../canaries/{name}/testers: spec.testers set as the weight is, with the same permission. */
@QuarkusTest
@TestProfile(KubernetesAuthProfile.class)
@WithStrictApiServer
class TestersApiTest {
    static final String ADMIN_TOKEN = "testers-admin-token";
    static final String READER_TOKEN = "testers-reader-token";
    static final String PATH = "/api/v1/namespaces/{ns}/canaries/{name}/testers";

    @Strict
    StrictApiServer server;
    @Strict
    KubernetesClient client;

    @BeforeEach
    void setUp() {
        FakeKubeAuth.install(server);
        FakeKubeAuth.user(ADMIN_TOKEN, "tester-admin", "testers-ops");
        FakeKubeAuth.allow("group:testers-ops", "*", "get", "list", "patch");
        FakeKubeAuth.user(READER_TOKEN, "reader", "testers-readers");
        FakeKubeAuth.allow("group:testers-readers", "*", "get", "list");
    }

    static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    @Test
    void setsSpecTestersAndShowsThemAndAnEmptyListRemovesThem() {
        String ns = Fixtures.namespace(client, "testers");
        Fixtures.canary(client, ns, "web", "web", 5, null);
        as(ADMIN_TOKEN).body("""
                {"testers": [{"header": {"name": "x-canary", "value": "always"}},
                             {"cookie": {"name": "canary", "value": "1"}}]}""")
                .put(PATH, ns, "web").then().statusCode(200)
                .body("testers", hasSize(2)).body("testers[0].header.name", equalTo("x-canary"))
                .body("testers[1].cookie.value", equalTo("1"));
        var spec = Fixtures.get(client, ns, "web").getSpec();
        assertEquals("always", spec.testers.get(0).header.value);
        assertEquals(5.0, spec.weight, "the rest of spec is kept");
        as(READER_TOKEN).get("/api/v1/namespaces/{ns}/canaries/{name}", ns, "web").then().statusCode(200)
                .body("testers", hasSize(2));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace(ns).list()
                .getItems().stream().anyMatch(e -> "TestersSet".equals(e.getReason())
                        && e.getMessage().contains("header x-canary=always, cookie canary=1")));

        as(ADMIN_TOKEN).body("{\"testers\": []}").put(PATH, ns, "web").then().statusCode(200).body("testers", hasSize(0));
        assertNull(Fixtures.get(client, ns, "web").getSpec().testers);
    }

    @Test
    void refusesBadTestersWithAProblemAndChangesNothing() {
        String ns = Fixtures.namespace(client, "badtesters");
        Fixtures.canary(client, ns, "web", "web", 5, null);
        String version = Fixtures.get(client, ns, "web").getMetadata().getResourceVersion();
        for (String body : new String[] {
                "{\"testers\": [{\"header\": {\"name\": \"X-Canary\", \"value\": \"always\"}}]}",
                "{\"testers\": [{}]}",
                "{\"testers\": [{\"cookie\": {\"name\": \"canary\", \"value\": \"a;b\"}}]}",
                "{\"testers\": [" + "{\"header\": {\"name\": \"x-a\", \"value\": \"1\"}},".repeat(8)
                        + "{\"header\": {\"name\": \"x-a\", \"value\": \"1\"}}]}",
                "{}"}) {
            as(ADMIN_TOKEN).body(body).put(PATH, ns, "web").then().statusCode(400)
                    .contentType("application/problem+json").body("type", containsString("invalid-testers"));
        }
        as(ADMIN_TOKEN).body("{\"testers\": [], \"weight\": 3}").put(PATH, ns, "web").then().statusCode(400);
        assertEquals(version, Fixtures.get(client, ns, "web").getMetadata().getResourceVersion());
        as(ADMIN_TOKEN).body("{\"testers\": []}").put(PATH, ns, "ghost").then().statusCode(404);
    }

    @Test
    void needsPatchAsSettingTheWeightDoes() {
        String ns = Fixtures.namespace(client, "testersauth");
        Fixtures.canary(client, ns, "web", "web", 5, null);
        as(READER_TOKEN).body("{\"testers\": []}").put(PATH, ns, "web").then().statusCode(403);
        given().contentType(ContentType.JSON).body("{\"testers\": []}").put(PATH, ns, "web").then().statusCode(401);
    }
}
