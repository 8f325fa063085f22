package dev.serin.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.rest.auth.Authorizer;
import dev.serin.rest.auth.Decision;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** serin.api.auth=kubernetes: TokenReview and SubjectAccessReview as real HTTP round trips to the mock server. */
@QuarkusTest
@TestProfile(KubernetesAuthProfile.class)
@WithStrictApiServer
class CanaryAuthTest {
    static final String PROBLEM = "application/problem+json";

    @Strict
    StrictApiServer server;

    @Strict
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    String ns;
    String token;
    String user;

    @BeforeEach
    void setUp() {
        FakeKubeAuth.install(server);
        ns = Fixtures.namespace(client, "auth");
        // A fresh user per test, so cached decisions of other tests cannot interfere.
        user = "user-" + ns;
        token = "token-" + ns;
        FakeKubeAuth.user(token, user, "team-" + ns);
        Fixtures.canary(client, ns, "web", "web", 5, null);
    }

    RequestSpecification as(String bearer) {
        return given().header("Authorization", "Bearer " + bearer);
    }

    @Test
    void missingOrMalformedTokenIs401ForEveryEndpoint() {
        Canary before = Fixtures.get(client, ns, "web");
        List<Supplier<RequestSpecification>> callers = List.of(() -> given(),
                () -> given().header("Authorization", "Basic dXNlcjpwdw=="),
                () -> given().header("Authorization", "Bearer "));
        for (Supplier<RequestSpecification> caller : callers) {
            caller.get().get("/api/v1/canaries").then().statusCode(401).contentType(PROBLEM)
                    .header("WWW-Authenticate", containsString("Bearer"))
                    .body("status", equalTo(401)).body("title", equalTo("Unauthenticated"));
            caller.get().get("/api/v1/namespaces/{ns}/canaries", ns).then().statusCode(401).contentType(PROBLEM);
            caller.get().get("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(401).contentType(PROBLEM);
            caller.get().contentType(ContentType.JSON).body("{\"weight\": 50}")
                    .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then().statusCode(401).contentType(PROBLEM);
            caller.get().contentType(ContentType.JSON).body("{\"target\": \"api\"}")
                    .post("/api/v1/namespaces/{ns}/canaries", ns).then().statusCode(401).contentType(PROBLEM);
            caller.get().delete("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(401).contentType(PROBLEM);
            // authentication comes before the body is even read
            caller.get().contentType(ContentType.JSON).body("{oops").put("/api/v1/namespaces/{ns}/canaries/web/weight", ns)
                    .then().statusCode(401);
        }
        assertUnchanged(before);
    }

    @Test
    void tokenTheApiServerDoesNotAuthenticateIs401() {
        Canary before = Fixtures.get(client, ns, "web");
        FakeKubeAuth.allow("system:anonymous", ns, "get", "patch");
        as("forged-" + ns).get("/api/v1/namespaces/{ns}/canaries/web", ns).then()
                .statusCode(401).contentType(PROBLEM).body("detail", containsString("invalid bearer token"));
        as("forged-" + ns).contentType(ContentType.JSON).body("{\"weight\": 50}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then().statusCode(401);
        assertUnchanged(before);
        assertEquals("forged-" + ns, last(FakeKubeAuth.tokenReviews).getSpec().getToken());
    }

    @Test
    void tokenReviewAsksForTheAudienceSerin() {
        FakeKubeAuth.allow(user, ns, "get");
        as(token).get("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(200);
        assertEquals(List.of("serin"), last(FakeKubeAuth.tokenReviews).getSpec().getAudiences());
    }

    /** A token minted for the API server (kubectl create token NAME) is no good for Serin: 401, nothing changes. */
    @Test
    void tokenForTheApiServerAudienceIs401() {
        String apiToken = "api-" + token;
        FakeKubeAuth.apiServerUser(apiToken, user, "team-" + ns);
        FakeKubeAuth.allow(user, ns, "get", "patch");
        Canary before = Fixtures.get(client, ns, "web");
        as(apiToken).get("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(401).contentType(PROBLEM);
        as(apiToken).contentType(ContentType.JSON).body("{\"weight\": 50}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then().statusCode(401);
        assertUnchanged(before);
    }

    /**
     * Escalation through the canary: whoever may create and patch canaries but not update the target Deployment may
     * neither start a canary with containers (any image, the target's ServiceAccount and secrets) nor promote (which
     * rewrites the target). 403 naming the missing permission, and nothing changes.
     */
    @Test
    void startWithContainersAndPromoteNeedUpdateOnTheTargetDeployment() {
        FakeKubeAuth.allow(user, ns, "get", "list", "patch", "create");
        Canary before = Fixtures.get(client, ns, "web");

        as(token).contentType(ContentType.JSON)
                .body("{\"target\": \"api\", \"containers\": [{\"name\": \"app\", \"image\": \"evil.example/miner:1\"}]}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then()
                .statusCode(403).contentType(PROBLEM).body("status", equalTo(403))
                .body("detail", containsString("update on deployments.apps api in namespace " + ns))
                .body("detail", containsString(user));
        assertNull(Fixtures.get(client, ns, "api"), "nothing created");
        SubjectAccessReview sar = last(FakeKubeAuth.accessReviews);
        ResourceAttributes ra = sar.getSpec().getResourceAttributes();
        assertEquals(List.of("apps", "deployments", "update", ns, "api"),
                List.of(ra.getGroup(), ra.getResource(), ra.getVerb(), ra.getNamespace(), ra.getName()));
        assertEquals(user, sar.getSpec().getUser());

        as(token).post("/api/v1/namespaces/{ns}/canaries/web/promote", ns).then()
                .statusCode(403).contentType(PROBLEM)
                .body("detail", containsString("update on deployments.apps web in namespace " + ns));
        assertUnchanged(before); // same resourceVersion: no serin.dev/action annotation

        // without containers a start copies the target as it is: canary rights are enough
        as(token).contentType(ContentType.JSON).body("{\"target\": \"shop\"}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then().statusCode(201);

        // with update on the Deployments both go through
        FakeKubeAuth.allowDeployments(user, ns, "update");
        as(token).contentType(ContentType.JSON)
                .body("{\"target\": \"api\", \"containers\": [{\"name\": \"app\", \"image\": \"registry.example/api:2\"}]}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then().statusCode(201);
        Fixtures.status(client, ns, "web", s -> { }); // the controller found it promotable
        as(token).post("/api/v1/namespaces/{ns}/canaries/web/promote", ns).then().statusCode(200);
    }

    @Test
    void readerMayReadButNotWrite() {
        FakeKubeAuth.allow(user, ns, "get", "list");
        Canary before = Fixtures.get(client, ns, "web");

        as(token).get("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(200);
        as(token).get("/api/v1/namespaces/{ns}/canaries", ns).then().statusCode(200);
        as(token).contentType(ContentType.JSON).body("{\"weight\": 50}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                .statusCode(403).contentType(PROBLEM)
                .body("status", equalTo(403)).body("title", equalTo("Forbidden"))
                .body("detail", containsString(user)).body("detail", containsString("patch"));
        as(token).contentType(ContentType.JSON).body("{\"target\": \"api\"}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then().statusCode(403).contentType(PROBLEM);
        as(token).delete("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(403).contentType(PROBLEM);
        // list in one namespace does not mean list everywhere
        as(token).get("/api/v1/canaries").then().statusCode(403).contentType(PROBLEM);

        assertUnchanged(before);
        assertNull(Fixtures.get(client, ns, "api"));
    }

    @Test
    void eachEndpointAsksForItsVerbInItsNamespace() {
        String group = "team-" + ns;
        FakeKubeAuth.allow("group:" + group, ns, "get", "list", "patch", "create", "delete");
        FakeKubeAuth.allow(user, "", "list");

        as(token).get("/api/v1/canaries").then().statusCode(200);
        assertReview("list", "");
        as(token).get("/api/v1/namespaces/{ns}/canaries", ns).then().statusCode(200);
        assertReview("list", ns);
        as(token).get("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(200);
        assertReview("get", ns);
        as(token).contentType(ContentType.JSON).body("{\"weight\": 12.5}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then().statusCode(200);
        assertReview("patch", ns);
        as(token).contentType(ContentType.JSON).body("{\"target\": \"api\"}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then().statusCode(201);
        assertReview("create", ns);
        as(token).delete("/api/v1/namespaces/{ns}/canaries/api", ns).then().statusCode(202);
        assertReview("delete", ns);

        SubjectAccessReview sar = last(FakeKubeAuth.accessReviews);
        assertEquals(user, sar.getSpec().getUser());
        // the API server's TokenReview adds system:authenticated to every authenticated user's groups
        assertEquals(List.of(group, "system:authenticated"), sar.getSpec().getGroups());
        assertEquals(12.5, Fixtures.get(client, ns, "web").getSpec().weight);
    }

    @Test
    void permissionInOneNamespaceDoesNotReachAnother() {
        String other = Fixtures.namespace(client, "other");
        Canary there = Fixtures.canary(client, other, "web", "web", 5, null);
        FakeKubeAuth.allow(user, ns, "get", "patch");

        as(token).contentType(ContentType.JSON).body("{\"weight\": 7}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then().statusCode(200);
        as(token).contentType(ContentType.JSON).body("{\"weight\": 7}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", other).then().statusCode(403);
        as(token).get("/api/v1/namespaces/{ns}/canaries/web", other).then().statusCode(403);
        assertUnchanged(there);
        assertEquals(7.0, Fixtures.get(client, ns, "web").getSpec().weight);
    }

    @Test
    void changesAreAuditedWithWhoAndOldAndNewWeight() {
        FakeKubeAuth.allow(user, ns, "patch", "create", "delete");
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                lines.add(r.getParameters() == null ? String.valueOf(r.getMessage()) : String.format(r.getMessage(), r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger audit = Logger.getLogger("serin.audit");
        audit.addHandler(handler);
        try {
            as(token).contentType(ContentType.JSON).body("{\"weight\": 12.5}")
                    .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then().statusCode(200);
            as(token).contentType(ContentType.JSON).body("{\"target\": \"api\", \"weight\": 1}")
                    .post("/api/v1/namespaces/{ns}/canaries", ns).then().statusCode(201);
            as(token).delete("/api/v1/namespaces/{ns}/canaries/api", ns).then().statusCode(202);
        } finally {
            audit.removeHandler(handler);
        }
        String all = String.join("\n", lines);
        assertTrue(all.contains("user=" + user) && all.contains("action=set-weight canary=" + ns + "/web weight=5 -> 12.5"), all);
        assertTrue(all.contains("action=start canary=" + ns + "/api target=api"), all);
        assertTrue(all.contains("action=stop canary=" + ns + "/api weight=1 -> stopped"), all);
    }

    @Test
    void refusalsAreCountedByRouteTemplate() {
        double before = count("PUT /api/v1/namespaces/{ns}/canaries/{name}/weight", "401");
        given().contentType(ContentType.JSON).body("{\"weight\": 1}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then().statusCode(401);
        assertEquals(before + 1, count("PUT /api/v1/namespaces/{ns}/canaries/{name}/weight", "401"));
    }

    /** The cache, with a clock the test moves: decisions are reused for the TTL, then asked for again. */
    @Test
    void decisionsAreCachedPerTokenVerbAndNamespaceForTheTtl() {
        FakeKubeAuth.allow(user, ns, "get");
        dev.serin.TestClock clock = new dev.serin.TestClock();
        Authorizer authorizer = new Authorizer(client, clock, Duration.ofSeconds(5), List.of(FakeKubeAuth.SERIN_AUDIENCE));
        int reviews = FakeKubeAuth.tokenReviews.size();

        assertInstanceOf(Decision.Allowed.class, authorizer.decide(token, "get", ns));
        assertEquals(reviews + 1, FakeKubeAuth.tokenReviews.size());
        clock.advance(Duration.ofSeconds(4));
        assertInstanceOf(Decision.Allowed.class, authorizer.decide(token, "get", ns));
        assertEquals(reviews + 1, FakeKubeAuth.tokenReviews.size(), "cached");

        // another verb is another decision
        assertInstanceOf(Decision.Denied.class, authorizer.decide(token, "patch", ns));
        assertEquals(reviews + 2, FakeKubeAuth.tokenReviews.size());

        // revoked: still allowed from the cache until the TTL is over, then denied
        FakeKubeAuth.revoke(user, ns, "get");
        assertInstanceOf(Decision.Allowed.class, authorizer.decide(token, "get", ns));
        clock.advance(Duration.ofSeconds(2));
        assertInstanceOf(Decision.Denied.class, authorizer.decide(token, "get", ns));
        assertEquals(reviews + 3, FakeKubeAuth.tokenReviews.size());

        assertInstanceOf(Decision.Unauthenticated.class, authorizer.decide("nobody-" + ns, "get", ns));
        assertInstanceOf(Decision.Unauthenticated.class, authorizer.decide(null, "get", ns));
    }

    double count(String endpoint, String status) {
        Counter c = registry.find("serin.api.requests").tags("endpoint", endpoint, "status", status).counter();
        return c == null ? 0 : c.count();
    }

    void assertReview(String verb, String namespace) {
        SubjectAccessReview sar = last(FakeKubeAuth.accessReviews);
        ResourceAttributes ra = sar.getSpec().getResourceAttributes();
        assertEquals(verb, ra.getVerb());
        assertEquals("serin.dev", ra.getGroup());
        assertEquals("canaries", ra.getResource());
        assertEquals(namespace, ra.getNamespace() == null ? "" : ra.getNamespace());
    }

    void assertUnchanged(Canary before) {
        Canary now = Fixtures.get(client, before.getMetadata().getNamespace(), before.getMetadata().getName());
        assertNotNull(now, "still there");
        assertEquals(before.getMetadata().getResourceVersion(), now.getMetadata().getResourceVersion());
        assertEquals(before.getSpec().weight, now.getSpec().weight);
    }

    static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }
}
