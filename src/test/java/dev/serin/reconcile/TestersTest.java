package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.api.v1alpha1.Sticky;
import dev.serin.api.v1alpha1.Tester;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import dev.serin.strict.Written;
import dev.serin.traffic.IstioRequests;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: requests of testers (a header, a cookie) reach the canary subset whatever the weight, as long as the
 * canary has ready pods and no longer; the sticky cookie keeps users the weight sent there, until weight 0.
 */
@QuarkusTest
@WithStrictApiServer
class TestersTest {
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final Map<String, String> HEADER = Map.of("x-canary", "always");
    static final Map<String, String> COOKIE = Map.of("cookie", "session=abc; canary=1");
    static final Map<String, String> USER = Map.of("cookie", "session=abc");

    @Strict
    KubernetesClient client;
    @Strict
    StrictApiServer server;
    @Inject
    Controller controller;

    Canary withTesters(Fixture f, double weight) {
        Canary c = f.canary("api", "api", weight, "v2");
        c.getSpec().testers = List.of(Tester.header("x-canary", "always", false), Tester.cookie("canary", "1"));
        return c;
    }

    @Test
    void headerAndCookieReachTheCanaryAtEveryWeightThroughPauseResumeAbortAndFailover() {
        Fixture f = new Fixture(client).service("api", 40);
        JsonNode original = f.vs("api").get("spec");
        f.create(withTesters(f, 0));
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary") != null
                && route(f, "/", USER).equals(List.of("stable=-")));
        await().atMost(DEADLINE).until(controller::idle);
        assertEquals(List.of("stable=-"), route(f, "/", HEADER), "no tester route before the canary is ready");

        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> route(f, "/", HEADER).equals(List.of("canary=-")));
        assertEquals(List.of("canary=-"), route(f, "/", COOKIE));
        assertEquals(List.of("stable=-"), route(f, "/", USER), "weight 0: users stay on stable");
        assertEquals(List.of("-=-"), route(f, "/admin", HEADER), "the admin route is not split: testers go there too");
        assertEquals(Phase.Progressing, awaitPhase(f, Phase.Progressing));
        assertEquals(0.0, f.getCanary("api").getStatus().weight, "tester routes are not the weight");

        for (double weight : List.of(3.0, 50.0)) {
            f.setWeight("api", weight);
            await().atMost(DEADLINE).until(() -> {
                f.markReady("api-canary");
                return Double.valueOf(weight).equals(f.getCanary("api").getStatus().weight);
            });
            assertEquals(List.of("canary=-"), route(f, "/", HEADER));
            assertEquals(List.of("canary=-"), route(f, "/", COOKIE));
        }
        assertEquals(List.of("stable=1", "canary=1"), route(f, "/", USER));

        // pause, resume, a restart of the controller (a failover to a new leader): nothing to write
        await().atMost(DEADLINE).until(controller::idle);
        long writes = routeWrites();
        patch(f, "{\"spec\": {\"paused\": true}}");
        awaitPhase(f, Phase.Paused);
        patch(f, "{\"spec\": {\"paused\": false}}");
        awaitPhase(f, Phase.Progressing);
        controller.stop();
        controller.start();
        await().atMost(DEADLINE).until(controller::idle);
        assertEquals(writes, routeWrites(), "pause, resume and a failover leave the routes as they are");

        // abort: weight 0, the testers keep the one pod left
        patch(f, "{\"metadata\": {\"annotations\": {\"serin.dev/action\": \"abort\"}}}");
        await().atMost(DEADLINE).until(() -> route(f, "/", USER).equals(List.of("stable=-")));
        assertEquals(Phase.Aborted, f.getCanary("api").getStatus().phase);
        assertEquals(List.of("canary=-"), route(f, "/", HEADER));
        assertEquals(List.of("canary=-"), route(f, "/", COOKIE));

        // stop: the tester routes go (and settle) before the canary pods do, and the routes come back byte for byte
        client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
        await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
        assertEquals(List.of(), RouteVersions.canaryNamedOutsideReadyPods(server, f.namespace, "api-canary"));
        assertEquals(original, f.vs("api").get("spec"), "no tester route left");
        assertTrue(f.vs("api").at("/metadata/annotations").isMissingNode(), "no bookkeeping left");
    }

    @Test
    void tooFewReadyPodsTakeTheTesterRoutesAwayUntilTheyAreBack() {
        Fixture f = new Fixture(client).service("api", 40);
        f.create(withTesters(f, 0));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> route(f, "/", HEADER).equals(List.of("canary=-")));
        Fixture.retryOnConflict(() -> {
            var d = f.deploymentNow("api-canary");
            d.getStatus().setReadyReplicas(0);
            return client.apps().deployments().inNamespace(f.namespace).resource(d).updateStatus();
        });
        await().atMost(DEADLINE).until(() -> route(f, "/", HEADER).equals(List.of("stable=-")));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> route(f, "/", HEADER).equals(List.of("canary=-")));
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("TesterRoutesRemoved")
                && f.eventReasons().contains("TesterRoutesWritten"));
    }

    @Test
    void aRouteWithMatchesOfItsOwnIsCombinedWithEachTesterMatch() {
        Fixture f = new Fixture(client);
        f.deployment("api", 10, Map.of("app", "api", "version", "v1"));
        f.istio(f.virtualService("api", """
                {"hosts": ["api"], "http": [
                  {"name": "api", "match": [{"uri": {"prefix": "/api"}}], "route": [{"destination": {"host": "api"}}]},
                  {"name": "rest", "route": [{"destination": {"host": "legacy"}}]}]}"""));
        f.istio(f.destinationRule("api", "{\"host\": \"api\"}"));
        f.create(withTesters(f, 3));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> route(f, "/api/x", HEADER).equals(List.of("canary=-")));
        assertEquals(List.of("canary=-"), route(f, "/api/x", COOKIE));
        assertEquals(List.of("stable=97", "canary=3"), route(f, "/api/x", USER));
        assertEquals(List.of("-=-"), route(f, "/other", HEADER), "outside /api a tester goes where everyone goes");
        JsonNode testers = f.vs("api").at("/spec/http/0");
        assertEquals("serin-testers-api", testers.get("name").asText());
        assertEquals(2, testers.get("match").size());
        for (JsonNode m : testers.get("match")) {
            assertEquals("/api", m.at("/uri/prefix").asText(), m.toString());
        }
    }

    @Test
    void theStickyCookieKeepsUsersOnTheCanaryAndAbortDropsItInTheWriteThatSetsWeightZero() {
        Fixture f = new Fixture(client).service("api", 40);
        Canary c = withTesters(f, 3);
        c.getSpec().sticky = new Sticky("serin-canary", "1h");
        f.create(c);
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> route(f, "/", USER).equals(List.of("stable=97", "canary=3"))
                && route(f, "/", Map.of("cookie", "serin-canary=v2")).equals(List.of("canary=-")));
        JsonNode main = mainRoute(f.vs("api"));
        assertEquals("serin-canary=v2; Max-Age=3600; Path=/", main.at("/route/1/headers/response/add/set-cookie").asText(),
                "canary responses set the cookie");
        assertTrue(main.at("/route/0/headers/response/add/set-cookie").isMissingNode(), "stable responses do not");
        assertEquals(List.of("stable=97", "canary=3"), route(f, "/", Map.of("cookie", "serin-canary=v1")),
                "a cookie of another version is no ticket");

        await().atMost(DEADLINE).until(controller::idle);
        int before = server.writes().size();
        patch(f, "{\"metadata\": {\"annotations\": {\"serin.dev/action\": \"abort\"}}}");
        await().atMost(DEADLINE).until(() -> route(f, "/", USER).equals(List.of("stable=-")));
        JsonNode atZero = server.writes().subList(before, server.writes().size()).stream()
                .filter(w -> "virtualservices".equals(w.resource())).map(Written.Write::object).findFirst().orElseThrow();
        assertEquals(List.of("stable=-"), IstioRequests.route(atZero, "/", USER), "the first route write sets weight 0");
        assertFalse(atZero.toString().contains("serin-canary"), "and drops the sticky route and cookie with it");
        assertEquals(List.of("canary=-"), IstioRequests.route(atZero, "/", HEADER), "the testers stay");
        assertEquals(List.of("stable=-"), route(f, "/", Map.of("cookie", "serin-canary=v2")));
    }

    static List<String> route(Fixture f, String path, Map<String, String> headers) {
        return IstioRequests.route(f.vs("api"), path, headers);
    }

    static JsonNode mainRoute(JsonNode vs) {
        for (JsonNode r : vs.at("/spec/http")) {
            if ("main".equals(r.path("name").asText())) {
                return r;
            }
        }
        throw new AssertionError("no main route in " + vs);
    }

    long routeWrites() {
        return server.writes().stream().filter(w -> "virtualservices".equals(w.resource())).count();
    }

    Phase awaitPhase(Fixture f, Phase phase) {
        await().atMost(DEADLINE).until(() -> f.getCanary("api").getStatus() != null
                && f.getCanary("api").getStatus().phase == phase);
        return phase;
    }

    void patch(Fixture f, String merge) {
        client.resources(Canary.class).inNamespace(f.namespace).withName("api")
                .patch(PatchContext.of(PatchType.JSON_MERGE), merge);
    }
}
