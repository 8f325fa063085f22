package dev.serin.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.reconcile.EventRecorder;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The endpoints and their errors, called by a user allowed everything (auth itself: {@link CanaryAuthTest}). */
@QuarkusTest
@TestProfile(KubernetesAuthProfile.class)
@WithStrictApiServer
class CanaryApiTest {
    static final String ADMIN_TOKEN = "admin-token";
    static final String PROBLEM = "application/problem+json";

    @Strict
    StrictApiServer server;

    @Strict
    KubernetesClient client;

    @Inject
    MeterRegistry registry;

    @Inject
    EventRecorder recorder;

    ExecutorService executor;

    @BeforeEach
    void setUp() {
        FakeKubeAuth.install(server);
        FakeKubeAuth.user(ADMIN_TOKEN, "admin", "ops");
        FakeKubeAuth.allow("group:ops", "*", "get", "list", "patch", "create", "delete");
        FakeKubeAuth.allow("group:ops", "", "list");
        // a start with containers and a promote need update on the target Deployment too
        FakeKubeAuth.allowDeployments("group:ops", "*", "update");
        executor = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void tearDown() {
        executor.shutdownNow();
    }

    static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    // ---- reads

    @Test
    void getsOneCanaryWithStatusAndConditions() {
        String ns = Fixtures.namespace(client, "get");
        Canary c = Fixtures.canary(client, ns, "web", "web", 10, "v2");
        c.setStatus(new CanaryStatus());
        c.getStatus().phase = Phase.Progressing;
        c.getStatus().weight = 5.0;
        c.getStatus().replicas = 2;
        c.getStatus().readyReplicas = 1;
        c.getStatus().conditions.add(new ConditionBuilder().withType("CanaryReady").withStatus("False")
                .withReason("Rolling").withMessage("1 of 2 ready").withLastTransitionTime("2026-01-01T00:00:00Z").build());
        client.resources(Canary.class).inNamespace(ns).resource(c).updateStatus();

        admin().get("/api/v1/namespaces/{ns}/canaries/{name}", ns, "web").then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("namespace", equalTo(ns))
                .body("name", equalTo("web"))
                .body("target", equalTo("web"))
                .body("phase", equalTo("Progressing"))
                .body("desiredWeight", equalTo(10.0f))
                .body("weight", equalTo(5.0f))
                .body("replicas", equalTo(2))
                .body("readyReplicas", equalTo(1))
                .body("version", equalTo("v2"))
                .body("conditions[0].type", equalTo("CanaryReady"))
                .body("conditions[0].status", equalTo("False"))
                .body("conditions[0].reason", equalTo("Rolling"))
                .body("conditions[0].message", equalTo("1 of 2 ready"))
                .body("conditions[0].lastTransitionTime", equalTo("2026-01-01T00:00:00Z"))
                .body("dashboardUrl", equalTo("https://dashboards.example/canary?ns=" + ns + "&name=web&version=v2"));
    }

    @Test
    void summaryDefaultsVersionAndPrefersStatusDashboardUrl() {
        String ns = Fixtures.namespace(client, "dash");
        Canary c = Fixtures.canary(client, ns, "api", "api", 0, null);
        admin().get("/api/v1/namespaces/{ns}/canaries/api", ns).then()
                .statusCode(200)
                .body("version", equalTo("canary"))
                .body("phase", equalTo("Initializing")) // no status yet: the controller has not seen it
                .body("weight", nullValue())
                .body("conditions", hasSize(0))
                .body("dashboardUrl", endsWith("&name=api&version=canary"));

        c.setStatus(new CanaryStatus());
        c.getStatus().dashboardUrl = "https://grafana.example/d/abc";
        client.resources(Canary.class).inNamespace(ns).resource(c).updateStatus();
        admin().get("/api/v1/namespaces/{ns}/canaries/api", ns).then()
                .statusCode(200)
                .body("dashboardUrl", equalTo("https://grafana.example/d/abc"));
    }

    @Test
    void listsByNamespaceAndEverywhere() {
        String a = Fixtures.namespace(client, "list");
        String b = Fixtures.namespace(client, "list");
        Fixtures.canary(client, a, "web", "web", 1, null);
        Fixtures.canary(client, a, "api", "api", 2, null);
        Fixtures.canary(client, b, "web", "web", 3, null);

        admin().get("/api/v1/namespaces/{ns}/canaries", a).then()
                .statusCode(200)
                .body("name", contains("api", "web"))
                .body("desiredWeight", contains(2.0f, 1.0f));
        admin().get("/api/v1/namespaces/{ns}/canaries", b).then()
                .statusCode(200).body("name", contains("web"));
        List<String> all = admin().get("/api/v1/canaries").then().statusCode(200)
                .extract().jsonPath().getList("collect { it.namespace + '/' + it.name }", String.class);
        assertTrue(all.containsAll(List.of(a + "/api", a + "/web", b + "/web")), all.toString());
    }

    @Test
    void unknownNamespaceOrCanaryIs404() {
        String ns = Fixtures.namespace(client, "nf");
        admin().get("/api/v1/namespaces/nowhere/canaries").then()
                .statusCode(404).contentType(PROBLEM)
                .body("status", equalTo(404)).body("title", equalTo("Not found"))
                .body("type", notNullValue()).body("detail", containsString("nowhere"));
        admin().get("/api/v1/namespaces/nowhere/canaries/web").then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString("Namespace nowhere"));
        admin().get("/api/v1/namespaces/{ns}/canaries/ghost", ns).then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString("ghost"));
        admin().contentType(ContentType.JSON).body("{\"weight\": 5}")
                .put("/api/v1/namespaces/{ns}/canaries/ghost/weight", ns).then().statusCode(404).contentType(PROBLEM);
        admin().delete("/api/v1/namespaces/{ns}/canaries/ghost", ns).then().statusCode(404).contentType(PROBLEM);
        admin().contentType(ContentType.JSON).body("{\"target\": \"web\"}")
                .post("/api/v1/namespaces/nowhere/canaries").then().statusCode(404).contentType(PROBLEM);
        assertNull(Fixtures.get(client, "nowhere", "web"));
    }

    // ---- weight

    @Test
    void setsSpecWeightWithMergePatch() {
        String ns = Fixtures.namespace(client, "w");
        Fixtures.canary(client, ns, "web", "web", 5, null);

        admin().contentType(ContentType.JSON).body("{\"weight\": 12.5}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                .statusCode(200).contentType(ContentType.JSON)
                .body("desiredWeight", equalTo(12.5f)).body("name", equalTo("web"));
        assertEquals(12.5, Fixtures.get(client, ns, "web").getSpec().weight);

        admin().contentType(ContentType.JSON).body("{\"weight\": 0.25}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then().statusCode(200);
        admin().contentType(ContentType.JSON).body("{\"weight\": 100}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then().statusCode(200)
                .body("desiredWeight", equalTo(100.0f));
        assertEquals(100.0, Fixtures.get(client, ns, "web").getSpec().weight);
        assertEquals("web", Fixtures.get(client, ns, "web").getSpec().targetRef.name, "the rest of spec is kept");
    }

    @Test
    void rejectsBadWeightsAndBodiesWithoutChangingAnything() {
        String ns = Fixtures.namespace(client, "bad");
        Canary before = Fixtures.canary(client, ns, "web", "web", 5, null);
        List<String> bodies = List.of(
                "{\"weight\": 100.01}",
                "{\"weight\": -1}",
                "{\"weight\": 12.345}",
                "{\"weight\": 1e3}",
                "{\"weight\": \"12\"}",
                "{\"weight\": true}",
                "{\"weight\": null}",
                "{\"weight\": [5]}",
                "{}",
                "{\"weight\": 5, \"wieght\": 6}",
                "{\"weight\": 5",
                "not json",
                "{\"weight\": 5} {}");
        for (String body : bodies) {
            admin().contentType(ContentType.JSON).body(body)
                    .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                    .statusCode(400)
                    .contentType(PROBLEM)
                    .body("status", equalTo(400))
                    .body("title", notNullValue())
                    .body("type", notNullValue())
                    .body("detail", notNullValue());
        }
        admin().contentType(ContentType.JSON).body("{\"weight\": \"12\"}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                .body("detail", containsString("must be a JSON number"));
        admin().contentType(ContentType.JSON).body("{\"weight\": 5, \"wieght\": 6}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                .body("detail", containsString("wieght"));
        admin().contentType(ContentType.JSON).body("{\"weight\": 12.345}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                .body("title", equalTo("Invalid weight"));
        for (String wait : List.of("61s", "2m", "soon", "-1s")) {
            admin().contentType(ContentType.JSON).body("{\"weight\": 7}").queryParam("wait", wait)
                    .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                    .statusCode(400).contentType(PROBLEM).body("title", equalTo("Invalid wait"));
        }
        admin().contentType(ContentType.TEXT).body("12")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                .statusCode(415).contentType(PROBLEM).body("status", equalTo(415));
        Canary after = Fixtures.get(client, ns, "web");
        assertEquals(5.0, after.getSpec().weight);
        assertEquals(before.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
    }

    @Test
    void waitAnswers202WhenTrafficDoesNotGetThere() {
        String ns = Fixtures.namespace(client, "w202");
        Fixtures.canary(client, ns, "web", "web", 5, null);
        admin().contentType(ContentType.JSON).body("{\"weight\": 20}").queryParam("wait", "300ms")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                .statusCode(202)
                .contentType(ContentType.JSON)
                .body("desiredWeight", equalTo(20.0f))
                .body("weight", nullValue());
        assertEquals(20.0, Fixtures.get(client, ns, "web").getSpec().weight);
    }

    @Test
    void waitAnswers200WhenStatusWeightReachesTheNewWeight() throws Exception {
        String ns = Fixtures.namespace(client, "w200");
        Fixtures.canary(client, ns, "web", "web", 5, null);

        Future<Response> put = executor.submit(() -> admin().contentType(ContentType.JSON).body("{\"weight\": 30}")
                .queryParam("wait", "20s").put("/api/v1/namespaces/{ns}/canaries/web/weight", ns));
        // Play the controller: once spec.weight is 30, report status.weight 30.
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Double.valueOf(30).equals(Fixtures.get(client, ns, "web").getSpec().weight));
        Canary c = Fixtures.get(client, ns, "web");
        c.setStatus(new CanaryStatus());
        c.getStatus().weight = 30.0;
        client.resources(Canary.class).inNamespace(ns).resource(c).updateStatus();

        Response response = put.get();
        response.then().statusCode(200).body("desiredWeight", equalTo(30.0f)).body("weight", equalTo(30.0f));
    }

    @Test
    void concurrentWeightChangesEndWithTheLastAccepted() throws Exception {
        String ns = Fixtures.namespace(client, "conc");
        Fixtures.canary(client, ns, "web", "web", 0, null);
        List<CompletableFuture<Integer>> calls = List.of(10, 20, 30, 40, 50, 60).stream()
                .map(w -> CompletableFuture.supplyAsync(() -> admin().contentType(ContentType.JSON)
                        .body("{\"weight\": " + w + "}")
                        .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).statusCode(), executor))
                .toList();
        for (CompletableFuture<Integer> call : calls) {
            assertEquals(200, call.get());
        }
        Double finalWeight = Fixtures.get(client, ns, "web").getSpec().weight;
        assertTrue(Set.of(10.0, 20.0, 30.0, 40.0, 50.0, 60.0).contains(finalWeight), String.valueOf(finalWeight));
        // Sequential calls: the last one wins.
        admin().contentType(ContentType.JSON).body("{\"weight\": 1}").put("/api/v1/namespaces/{ns}/canaries/web/weight", ns);
        admin().contentType(ContentType.JSON).body("{\"weight\": 2}").put("/api/v1/namespaces/{ns}/canaries/web/weight", ns);
        assertEquals(2.0, Fixtures.get(client, ns, "web").getSpec().weight);
    }

    /** Plays the controller carrying out a request: it removes the serin.dev/action annotation. */
    void carriedOut(String ns, String name) {
        client.resources(Canary.class).inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"serin.dev/action\":null}}}");
    }

    String action(String ns, String name) {
        var annotations = Fixtures.get(client, ns, name).getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get("serin.dev/action");
    }

    List<String> eventReasons(String ns) {
        return client.v1().events().inNamespace(ns).list().getItems().stream().map(Event::getReason).sorted().toList();
    }

    // ---- pause, resume, abort, promote

    /**
     * Promote copies the canary into the target Deployment: only a valid Canary, Progressing or Paused, whose pods are
     * ready and whose weight is applied and above 0. Otherwise 409 naming the reason, and nothing is written.
     */
    @Test
    void promoteIsRefusedWithItsReasonUnlessTheCanaryIsPromotable() {
        String ns = Fixtures.namespace(client, "gate");
        Fixtures.canary(client, ns, "web", "web", 5, null);
        notPromotable(ns, "NotObserved");
        Fixtures.status(client, ns, "web", s -> {
            s.phase = Phase.Failed;
            s.conditions.set(0, Fixtures.condition("Valid", "False", "TargetAlreadyHasCanary",
                    "Deployment web already has Canary first"));
        });
        notPromotable(ns, "Invalid: TargetAlreadyHasCanary — Deployment web already has Canary first");
        Fixtures.status(client, ns, "web", s -> s.phase = Phase.Aborted);
        notPromotable(ns, "Aborted");
        Fixtures.status(client, ns, "web", s -> s.phase = Phase.Initializing);
        notPromotable(ns, "Initializing");
        Fixtures.status(client, ns, "web", s -> s.conditions.set(1, Fixtures.condition("CanaryReady", "False",
                "PodsNotReady", "0/1 canary pods ready")));
        notPromotable(ns, "NotReady — 0/1 canary pods ready");
        Fixtures.status(client, ns, "web", s -> s.weight = 0.0);
        notPromotable(ns, "NoTraffic");
        Fixtures.status(client, ns, "web", s -> s.weight = 2.0);
        notPromotable(ns, "WeightNotApplied");
        Fixtures.setWeightAndKeepStatus(client, ns, "web", 7);
        notPromotable(ns, "NotObserved"); // the status describes the spec before
        assertNull(action(ns, "web"));
        assertEquals(List.of(), eventReasons(ns));

        Fixtures.status(client, ns, "web", s -> s.phase = Phase.Paused);
        admin().post("/api/v1/namespaces/{ns}/canaries/web/promote", ns).then().statusCode(200);
        assertEquals("promote", action(ns, "web"));
        assertEquals("PromoteRequested", awaitEvents(ns, 1).get(0).getReason());
    }

    void notPromotable(String ns, String reason) {
        admin().post("/api/v1/namespaces/{ns}/canaries/web/promote", ns).then()
                .statusCode(409).contentType(PROBLEM)
                .body("type", endsWith("/not-promotable"))
                .body("detail", containsString("cannot be promoted: " + reason));
    }

    /** resume, abort and promote share the serin.dev/action annotation: one still pending is never replaced. */
    @Test
    void anActionStillPendingIsNotReplaced() {
        String ns = Fixtures.namespace(client, "pending");
        Fixtures.canary(client, ns, "web", "web", 5, null);
        Fixtures.status(client, ns, "web", s -> { }); // promotable
        admin().post("/api/v1/namespaces/{ns}/canaries/web/abort", ns).then().statusCode(200);
        for (String action : List.of("promote", "resume")) {
            admin().post("/api/v1/namespaces/{ns}/canaries/web/{action}", ns, action).then()
                    .statusCode(409).contentType(PROBLEM)
                    .body("type", endsWith("/action-pending"))
                    .body("detail", containsString("abort was requested on Canary " + ns + "/web"));
        }
        admin().post("/api/v1/namespaces/{ns}/canaries/web/abort", ns).then().statusCode(200); // the same request again
        assertEquals("abort", action(ns, "web"));
        // both aborts are recorded: one Event, counted twice (repeats are aggregated; Events are sent off the request's thread)
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> awaitEvents(ns, 1).get(0).getCount() == 2);
        assertEquals("AbortRequested", awaitEvents(ns, 1).get(0).getReason());

        carriedOut(ns, "web");
        admin().post("/api/v1/namespaces/{ns}/canaries/web/promote", ns).then().statusCode(200);
        assertEquals("promote", action(ns, "web"));
    }

    /**
     * A second person's abort lands between Serin's read of the Canary and its write of promote: the write carries the
     * resourceVersion it read, so the API server refuses it (409), Serin reads again and answers 409 — the abort stays.
     */
    @Test
    void anActionLandingBetweenReadAndWriteIsNotReplaced() {
        String ns = Fixtures.namespace(client, "race");
        Fixtures.canary(client, ns, "web", "web", 5, null);
        Fixtures.status(client, ns, "web", s -> { }); // promotable
        // promote asks for update on the target Deployment after reading the Canary, before writing it
        FakeKubeAuth.whileReviewingDeployments(() -> assertEquals(200, server.mergePatchInside(
                "/apis/serin.dev/v1alpha1/namespaces/" + ns + "/canaries/web",
                "{\"metadata\":{\"annotations\":{\"serin.dev/action\":\"abort\"}}}")));
        admin().post("/api/v1/namespaces/{ns}/canaries/web/promote", ns).then()
                .statusCode(409).contentType(PROBLEM)
                .body("type", endsWith("/action-pending"))
                .body("detail", containsString("abort was requested"));
        assertEquals("abort", action(ns, "web"));
        assertEquals(List.of(), eventReasons(ns), "nothing accepted, nothing recorded");
    }

    // ---- start

    @Test
    void startsACanaryWithEventAndLocation() {
        String ns = Fixtures.namespace(client, "start");
        admin().contentType(ContentType.JSON)
                .body("{\"name\": \"web-v2\", \"target\": \"web\", \"version\": \"v2\", "
                        + "\"containers\": [{\"name\": \"app\", \"image\": \"registry.example/web:2\"}], \"weight\": 2.5}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then()
                .statusCode(201)
                .header("Location", endsWith("/api/v1/namespaces/" + ns + "/canaries/web-v2"))
                .body("name", equalTo("web-v2"))
                .body("target", equalTo("web"))
                .body("version", equalTo("v2"))
                .body("desiredWeight", equalTo(2.5f))
                .body("phase", equalTo("Initializing"))
                .body("dashboardUrl", equalTo("https://dashboards.example/canary?ns=" + ns + "&name=web-v2&version=v2"));

        Canary c = Fixtures.get(client, ns, "web-v2");
        assertEquals("web", c.getSpec().targetRef.name);
        assertEquals(2.5, c.getSpec().weight);
        assertEquals("v2", c.getSpec().canary.version);
        assertEquals("app", c.getSpec().canary.containers.get(0).name);
        assertEquals("registry.example/web:2", c.getSpec().canary.containers.get(0).image);

        Event e = awaitEvents(ns, 1).get(0);
        assertEquals("Started", e.getReason());
        assertEquals("Normal", e.getType());
        assertEquals("Canary", e.getInvolvedObject().getKind());
        assertEquals("serin.dev/v1alpha1", e.getInvolvedObject().getApiVersion());
        assertEquals("web-v2", e.getInvolvedObject().getName());
        assertEquals(c.getMetadata().getUid(), e.getInvolvedObject().getUid());
        assertTrue(e.getMessage().contains("https://dashboards.example/canary?ns=" + ns), e.getMessage());
        assertTrue(e.getMessage().contains("admin"), e.getMessage());
    }

    /** Every change the API accepts leaves an Event on the Canary naming the caller (kubectl describe canary). */
    @Test
    void everyAcceptedChangeRecordsAnEventNamingTheCaller() {
        String ns = Fixtures.namespace(client, "events");
        Fixtures.canary(client, ns, "web", "web", 5, null);
        admin().contentType(ContentType.JSON).body("{\"weight\": 7.5}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then().statusCode(200);
        Fixtures.status(client, ns, "web", s -> { }); // promotable
        for (String action : List.of("pause", "resume", "abort", "promote")) {
            if (action.equals("promote")) {
                Fixtures.status(client, ns, "web", s -> s.phase = Phase.Paused); // the controller saw the pause
            }
            admin().post("/api/v1/namespaces/{ns}/canaries/web/{action}", ns, action).then().statusCode(200);
            carriedOut(ns, "web");
        }
        admin().delete("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(202);

        List<Event> events = awaitEvents(ns, 6).stream()
                .sorted(java.util.Comparator.comparing(Event::getMetadata, java.util.Comparator.comparing(
                        m -> Long.parseLong(m.getName().substring("web.".length()), 16))))
                .toList();
        assertEquals(List.of("WeightSet", "PauseRequested", "ResumeRequested", "AbortRequested", "PromoteRequested",
                "StopRequested"), events.stream().map(Event::getReason).toList());
        assertEquals(List.of("SetWeight", "Pause", "Resume", "Abort", "Promote", "Stop"),
                events.stream().map(Event::getAction).toList());
        for (Event e : events) {
            assertEquals("Canary", e.getInvolvedObject().getKind());
            assertEquals("Normal", e.getType());
            assertTrue(e.getMessage().contains("by admin"), e.getMessage());
            // accepted by a server that parses eventTime as a metav1.MicroTime: exactly six fractional digits
            assertTrue(e.getEventTime().getTime().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z"),
                    e.getEventTime().getTime());
            assertEquals("serin.dev/api", e.getReportingComponent());
            assertEquals("serin-api", e.getSource().getComponent());
            assertNotNull(e.getReportingInstance());
        }
        assertEquals("Weight set to 7.5% (was 5%) by admin", events.get(0).getMessage());
    }

    /** The same request twice is one Event counted twice, as the controller's repeated Events are. */
    @Test
    void aRepeatedRequestIsCountedOnOneEvent() {
        String ns = Fixtures.namespace(client, "repeat");
        Fixtures.canary(client, ns, "web", "web", 5, null);
        admin().post("/api/v1/namespaces/{ns}/canaries/web/pause", ns).then().statusCode(200);
        admin().post("/api/v1/namespaces/{ns}/canaries/web/pause", ns).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> awaitEvents(ns, 1).get(0).getCount() == 2);
        Event e = awaitEvents(ns, 1).get(0);
        assertEquals("PauseRequested", e.getReason());
        assertEquals("Pause requested by admin at weight 5%", e.getMessage());
    }

    /** The Events on Canaries in {@code ns}, once there are {@code count} (they are sent off the request's thread). */
    List<Event> awaitEvents(String ns, int count) {
        return Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.v1().events().inNamespace(ns).list()
                .getItems().stream().filter(e -> "Canary".equals(e.getInvolvedObject().getKind())).toList(),
                events -> events.size() == count);
    }

    @Test
    void startDefaultsNameVersionAndWeight() {
        String ns = Fixtures.namespace(client, "startdef");
        admin().contentType(ContentType.JSON).body("{\"target\": \"shop\"}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then()
                .statusCode(201)
                .header("Location", endsWith("/api/v1/namespaces/" + ns + "/canaries/shop"))
                .body("name", equalTo("shop"))
                .body("version", equalTo("canary"))
                .body("desiredWeight", equalTo(0.0f));
        assertEquals(0.0, Fixtures.get(client, ns, "shop").getSpec().weight);
    }

    /** Deployment names are DNS-1123 subdomains: the REST API takes a dotted target as the controller does. */
    @Test
    void startTakesADottedTargetAndAsksForANameWhenTheTargetsCannotNameTheCanary() {
        String ns = Fixtures.namespace(client, "dotted");
        admin().contentType(ContentType.JSON).body("{\"name\": \"web-v2\", \"target\": \"web.v2\"}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then()
                .statusCode(201).body("name", equalTo("web-v2")).body("target", equalTo("web.v2"));
        assertEquals("web.v2", Fixtures.get(client, ns, "web-v2").getSpec().targetRef.name);

        admin().contentType(ContentType.JSON).body("{\"target\": \"shop.v2\"}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then()
                .statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("'name' is needed"))
                .body("detail", containsString("DNS-1123 label"));
        admin().contentType(ContentType.JSON).body("{\"name\": \"shop\", \"target\": \"Shop.V2\"}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then()
                .statusCode(400).contentType(PROBLEM).body("detail", containsString("DNS-1123 subdomain"));
    }

    @Test
    void startConflictsAndBadRequestsChangeNothing() {
        String ns = Fixtures.namespace(client, "startbad");
        Fixtures.canary(client, ns, "web", "web", 5, null);
        // target already has a canary (under another name)
        admin().contentType(ContentType.JSON).body("{\"name\": \"web-2\", \"target\": \"web\"}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then()
                .statusCode(409).contentType(PROBLEM).body("status", equalTo(409)).body("detail", containsString("web"));
        // name taken (by a canary of another target)
        admin().contentType(ContentType.JSON).body("{\"name\": \"web\", \"target\": \"api\"}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then()
                .statusCode(409).contentType(PROBLEM);
        for (String body : List.of(
                "{\"target\": \"api\", \"weight\": 101}",
                "{\"target\": \"api\", \"weight\": 1.001}",
                "{\"target\": \"api\", \"weight\": \"5\"}",
                "{\"target\": \"api\", \"colour\": \"blue\"}",
                "{\"target\": \"api\", \"containers\": [{\"name\": \"app\", \"image\": \"x\", \"tag\": 1}]}",
                "{\"target\": \"api\", \"containers\": [{\"name\": \"app\"}]}",
                "{\"target\": \"Not A Name\"}",
                "{\"target\": \"api\", \"name\": \"" + "a".repeat(57) + "\"}",
                "{\"target\": \"api\", \"version\": \"v2/beta\"}",
                "{\"name\": \"api\"}",
                "{\"target\": ",
                "[]")) {
            admin().contentType(ContentType.JSON).body(body).post("/api/v1/namespaces/{ns}/canaries", ns).then()
                    .statusCode(400).contentType(PROBLEM).body("status", equalTo(400));
        }
        assertEquals(List.of("web"), client.resources(Canary.class).inNamespace(ns).list().getItems().stream()
                .map(c -> c.getMetadata().getName()).collect(Collectors.toList()));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(recorder::idle);
        assertEquals(0, client.v1().events().inNamespace(ns).list().getItems().size());
    }

    // ---- stop

    @Test
    void stopDeletesTheCanary() {
        String ns = Fixtures.namespace(client, "stop");
        Fixtures.canary(client, ns, "web", "web", 40, null);
        admin().delete("/api/v1/namespaces/{ns}/canaries/web", ns).then()
                .statusCode(202).body("name", equalTo("web")).body("desiredWeight", equalTo(40.0f));
        assertNull(Fixtures.get(client, ns, "web"));
        admin().delete("/api/v1/namespaces/{ns}/canaries/web", ns).then().statusCode(404).contentType(PROBLEM);
    }

    // ---- metrics and OpenAPI

    @Test
    void countsRequestsByRouteTemplateAndStatus() {
        String ns = Fixtures.namespace(client, "metrics");
        Fixtures.canary(client, ns, "web", "web", 5, null);
        String endpoint = "PUT /api/v1/namespaces/{ns}/canaries/{name}/weight";
        double ok = count(endpoint, "200");
        double bad = count(endpoint, "400");
        admin().contentType(ContentType.JSON).body("{\"weight\": 6}").put("/api/v1/namespaces/{ns}/canaries/web/weight", ns)
                .then().statusCode(200);
        admin().contentType(ContentType.JSON).body("{\"weight\": 600}").put("/api/v1/namespaces/{ns}/canaries/web/weight", ns)
                .then().statusCode(400);
        assertEquals(ok + 1, count(endpoint, "200"));
        assertEquals(bad + 1, count(endpoint, "400"));

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("serin_api_requests_total{endpoint=\"PUT /api/v1/namespaces/{ns}/canaries/{name}/weight\",status=\"200\"}"))
                .body(org.hamcrest.Matchers.not(containsString("endpoint=\"PUT /api/v1/namespaces/" + ns)));
    }

    double count(String endpoint, String status) {
        Counter c = registry.find("serin.api.requests").tags("endpoint", endpoint, "status", status).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void openApiDescribesEndpointsAndErrors() {
        given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200)
                .body("paths.'/api/v1/canaries'.get", notNullValue())
                .body("paths.'/api/v1/namespaces/{ns}/canaries'.get", notNullValue())
                .body("paths.'/api/v1/namespaces/{ns}/canaries'.post.responses.'201'", notNullValue())
                .body("paths.'/api/v1/namespaces/{ns}/canaries'.post.responses.'409'", notNullValue())
                .body("paths.'/api/v1/namespaces/{ns}/canaries/{name}'.get.responses.'404'", notNullValue())
                .body("paths.'/api/v1/namespaces/{ns}/canaries/{name}'.delete.responses.'202'", notNullValue())
                .body("paths.'/api/v1/namespaces/{ns}/canaries/{name}/weight'.put.responses.keySet()",
                        org.hamcrest.Matchers.hasItems("200", "202", "400", "401", "403", "404", "422", "500", "502"))
                .body("paths.'/api/v1/namespaces/{ns}/canaries/{name}/weight'.put.responses.'400'.content.'application/problem+json'",
                        notNullValue())
                .body("components.schemas.Problem.properties.keySet()", org.hamcrest.Matchers.hasItems("detail", "errors"))
                .body("components.securitySchemes.kubernetes.scheme", is("bearer"));
    }
}
