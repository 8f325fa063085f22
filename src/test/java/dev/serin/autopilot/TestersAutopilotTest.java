package dev.serin.autopilot;

import static dev.serin.autopilot.analysis.Verdict.FAIL;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.Fixture;
import dev.serin.TestClock;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.api.v1alpha1.Sticky;
import dev.serin.api.v1alpha1.Tester;
import dev.serin.reconcile.Controller;
import dev.serin.reconcile.RouteVersions;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import dev.serin.strict.Written;
import dev.serin.traffic.IstioRequests;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 through the autopilot: its steps are weight changes like any other, so the testers' header and cookie reach
 * the canary at every step, the tester routes are written with the weights and never on their own, a failover
 * mid-rollout writes nothing, and the rollback to 0 drops the sticky match in the write that sets 0.
 */
@QuarkusTest
@WithStrictApiServer
class TestersAutopilotTest {
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final Duration INTERVAL = Duration.ofMinutes(5);
    static final Map<String, String> HEADER = Map.of("x-canary", "always");
    static final Map<String, String> COOKIE = Map.of("cookie", "session=abc; canary=1");
    static final Map<String, String> STICKY = Map.of("cookie", "serin-canary=v2");
    static final Map<String, String> USER = Map.of("cookie", "session=abc");

    @Strict
    KubernetesClient client;
    @Strict
    StrictApiServer server;
    @Inject
    Controller controller;
    @Inject
    Autopilot autopilot;
    @Inject
    TestClock clock;
    @Inject
    ScriptedAnalysis analysis;

    Fixture f;

    @AfterEach
    void stop() {
        if (f != null && f.getCanary("api") != null) { // the autopilot ticks over every Canary: leave none behind
            AutopilotRuns.delete(f, "api", DEADLINE);
        }
    }

    @Test
    void testersReachTheCanaryAtEveryStepAndTheRollbackToZeroDropsOnlyTheStickyMatch() {
        f = new Fixture(client).service("api", 40);
        Canary c = f.canary("api", "api", 0, "v2");
        c.getSpec().canary.replicas = 4; // fixed canary pods: each step only moves weights
        c.getSpec().testers = List.of(Tester.header("x-canary", "always", false), Tester.cookie("canary", "1"));
        c.getSpec().sticky = new Sticky("serin-canary", "1h");
        AutopilotRuns.autopilot(c, List.of(5.0, 10.0), "5m", "10m");
        c.getSpec().autopilot.onComplete = AutopilotSpec.OnComplete.Hold;
        f.create(c);
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary") != null && f.vs("api") != null);
        await().atMost(DEADLINE).until(controller::idle);
        assertEquals(List.of("stable=-"), route(HEADER), "no tester route before the canary is ready");

        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> route(HEADER).equals(List.of("canary=-"))); // once the subsets settled
        awaitWeight(0);
        assertEquals(List.of("canary=-"), route(HEADER), "testing starts at weight 0");
        assertEquals(List.of("canary=-"), route(COOKIE));
        assertEquals(List.of("stable=-"), route(STICKY), "weight 0: no sticky match yet");
        int from = server.writes().size();
        List<JsonNode> atZero = testerRoutes(f.vs("api"));
        assertEquals(List.of("serin-testers-main"), atZero.stream().map(r -> r.get("name").asText()).toList());

        nextInterval(); // the check at 0 passes: step 1
        awaitWeight(5);
        assertEquals(0, status().stepIndex);

        // a failover mid-rollout: the new leader writes nothing and does not take the step early
        var before = f.snapshot();
        String due = status().nextStepAt;
        controller.stop();
        controller.start();
        await().atMost(DEADLINE).until(controller::started);
        tick();
        await().atMost(DEADLINE).until(controller::idle);
        assertEquals(before, f.snapshot(), "nothing written after the failover");
        assertEquals(due, status().nextStepAt, "the step's wait goes on where it was");
        assertEquals(5.0, f.getCanary("api").getSpec().weight);

        nextInterval();
        awaitWeight(10);
        assertEquals(1, status().stepIndex);

        analysis.answer(f.namespace, "api", FAIL);
        for (int failed = 1; failed <= 2; failed++) {
            nextInterval();
            int expected = failed;
            await().atMost(DEADLINE).until(() -> Objects.equals(expected, status().failedChecks));
        }
        nextInterval();
        await().atMost(DEADLINE).until(() -> status().phase == Phase.Aborted && Double.valueOf(0).equals(status().weight));
        await().atMost(DEADLINE).until(controller::idle);
        assertEquals(List.of("canary=-"), route(HEADER), "the testers stay after the rollback");
        assertEquals(List.of("canary=-"), route(COOKIE));
        assertEquals(List.of("stable=-"), route(STICKY));

        // every route version from weight 0 on: one per weight change, testers on the canary in each
        List<JsonNode> versions = routeWrites(from);
        // Istio's weights in lowest terms: 19:1 is 5 %, 9:1 is 10 %
        assertEquals(List.of(List.of("stable=19", "canary=1"), List.of("stable=9", "canary=1"), List.of("stable=-")),
                versions.stream().map(v -> IstioRequests.route(v, "/", USER)).toList(),
                "one route write per step and one for the rollback, none for the tester routes alone");
        for (JsonNode v : versions) {
            assertEquals(List.of("canary=-"), IstioRequests.route(v, "/", HEADER), v.toString());
            assertEquals(List.of("canary=-"), IstioRequests.route(v, "/", COOKIE), v.toString());
        }
        assertEquals(testerRoutes(versions.get(0)), testerRoutes(versions.get(1)), "a step leaves the tester routes as they are");
        assertTrue(testerRoutes(versions.get(0)).toString().contains("serin\\\\-canary=v2"), "users the weight sent stay");
        assertEquals(atZero, withoutSticky(testerRoutes(versions.get(0))), "the step off 0 adds the sticky match, nothing else");
        assertEquals(atZero, testerRoutes(versions.get(2)), "the rollback leaves the tester routes as they were at 0");
        assertFalse(versions.get(2).toString().contains("serin-canary") || versions.get(2).toString().contains("serin\\\\-canary"),
                "the write that sets weight 0 drops the sticky match and cookie");

        client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
        await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
        assertEquals(List.of(), RouteVersions.canaryNamedOutsideReadyPods(server, f.namespace, "api-canary"));
    }

    List<String> route(Map<String, String> headers) {
        return IstioRequests.route(f.vs("api"), "/", headers);
    }

    /** The VirtualServices written in the test's namespace since write {@code from}. */
    List<JsonNode> routeWrites(int from) {
        List<Written.Write> all = server.writes();
        return all.subList(from, all.size()).stream()
                .filter(w -> f.namespace.equals(w.namespace()) && "virtualservices".equals(w.resource()))
                .map(Written.Write::object).toList();
    }

    static List<JsonNode> testerRoutes(JsonNode vs) {
        List<JsonNode> testers = new ArrayList<>();
        vs.at("/spec/http").forEach(r -> {
            if (r.path("name").asText().startsWith("serin-testers-")) {
                testers.add(r);
            }
        });
        return testers;
    }

    /** The tester routes without the sticky cookie's match (a regular expression naming serin-canary). */
    static List<JsonNode> withoutSticky(List<JsonNode> routes) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode r : routes) {
            ObjectNode copy = r.deepCopy();
            ArrayNode matches = copy.putArray("match");
            r.path("match").forEach(m -> {
                if (!m.toString().contains("serin\\\\-canary")) {
                    matches.add(m);
                }
            });
            out.add(copy);
        }
        return out;
    }

    CanaryStatus status() {
        return f.getCanary("api").getStatus();
    }

    /** The routes carry {@code weight} and the step's interval has started. */
    void awaitWeight(double weight) {
        await().atMost(DEADLINE).until(() -> status() != null && Double.valueOf(weight).equals(status().weight)
                && Double.valueOf(weight).equals(f.getCanary("api").getSpec().weight) && status().nextStepAt != null);
        await().atMost(DEADLINE).until(controller::idle);
    }

    /** One autopilot pass once the controller's cache holds everything written so far. */
    void tick() {
        AutopilotRuns.tick(controller, autopilot, DEADLINE);
    }

    void nextInterval() {
        clock.advance(INTERVAL);
        tick();
    }
}
