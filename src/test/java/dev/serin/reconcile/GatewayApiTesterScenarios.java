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
import dev.serin.strict.EndpointSliceController;
import dev.serin.strict.GatewayImplementation;
import dev.serin.strict.Written;
import dev.serin.strict.rbac.Identity;
import dev.serin.traffic.gatewayapi.HttpRoutePrecedence;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 21 on Gateway API, on both HTTPRoute CRD releases (the subclasses): tester requests (a header, a cookie) reach
 * {@code <name>-canary} whatever the weight, as long as the canary has ready endpoints and no longer; the sticky cookie
 * keeps users there until weight 0. Requests are routed through the stored HTTPRoute by Gateway API's match
 * precedence ({@link HttpRoutePrecedence}).
 */
abstract class GatewayApiTesterScenarios extends GatewayApiScenarioTests {
    static final Map<String, String> HEADER = Map.of("x-canary", "always");
    static final Map<String, String> COOKIE = Map.of("cookie", "session=abc; canary=1");
    static final Map<String, String> USER = Map.of("cookie", "session=abc");
    static final Map<String, Integer> CANARY = Map.of("api-canary", 1);

    Canary withTesters(double weight) {
        Canary c = canary(weight);
        c.getSpec().testers = List.of(Tester.header("x-canary", "always", false), Tester.cookie("canary", "1"));
        return c;
    }

    Map<String, Integer> send(String path, Map<String, String> headers) {
        return send(Fixture.JSON.convertValue(route(), JsonNode.class), path, headers);
    }

    static Map<String, Integer> send(JsonNode route, String path, Map<String, String> headers) {
        return HttpRoutePrecedence.route(HttpRoutePrecedence.Request.get(path, headers), route).orElseThrow()
                .backends();
    }

    @Test
    void headerAndCookieReachTheCanaryAtEveryWeightThroughPauseResumeRestartAndAbort() {
        setup();
        JsonNode original = Fixture.JSON.convertValue(route(), JsonNode.class).get("spec");
        try (EndpointSliceController slices = new EndpointSliceController(client, f.namespace).start()
                        .followDeployments();
                GatewayImplementation implementation = new GatewayImplementation(client).start(f.namespace)) {
            f.create(withTesters(0));
            Map<String, Integer> stableOnly = Map.of("api-stable", 9, "legacy", 1);
            await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary") != null
                    && send("/", USER).equals(stableOnly));
            await().atMost(DEADLINE).until(controller::idle);
            assertEquals(stableOnly, send("/", HEADER), "no tester rule before the canary is ready");

            f.markReady("api-canary");
            await().atMost(DEADLINE).until(() -> send("/", HEADER).equals(CANARY));
            assertEquals(CANARY, send("/", COOKIE));
            assertEquals(stableOnly, send("/", USER), "weight 0: users stay on stable");
            assertEquals(Map.of("admin", 1), send("/admin", HEADER), "the admin rule is not split: testers go there");
            await().atMost(DEADLINE).until(() -> f.getCanary("api").getStatus().phase == Phase.Progressing);
            assertEquals(0.0, f.getCanary("api").getStatus().weight, "tester rules are not the weight");

            for (double weight : List.of(3.0, 50.0)) {
                f.setWeight("api", weight);
                await().atMost(DEADLINE).until(() -> {
                    f.markReady("api-canary");
                    return Double.valueOf(weight).equals(f.getCanary("api").getStatus().weight);
                });
                assertEquals(CANARY, send("/", HEADER), "header at " + weight + " %");
                assertEquals(CANARY, send("/", COOKIE), "cookie at " + weight + " %");
            }
            assertEquals(Map.of("api-stable", 9, "api-canary", 9, "legacy", 2), send("/", USER));

            // pause, resume, a restart of the controller: nothing to write
            await().atMost(DEADLINE).until(controller::idle);
            long writes = routeWrites();
            patch("{\"spec\": {\"paused\": true}}");
            await().atMost(DEADLINE).until(() -> f.getCanary("api").getStatus().phase == Phase.Paused);
            patch("{\"spec\": {\"paused\": false}}");
            await().atMost(DEADLINE).until(() -> f.getCanary("api").getStatus().phase == Phase.Progressing);
            controller.stop();
            controller.start();
            await().atMost(DEADLINE).until(controller::idle);
            assertEquals(writes, routeWrites(), "pause, resume and a restart leave the route as it is");

            // abort: weight 0, the testers keep the one pod left
            patch("{\"metadata\": {\"annotations\": {\"serin.dev/action\": \"abort\"}}}");
            await().atMost(DEADLINE).until(() -> send("/", USER).equals(stableOnly));
            assertEquals(Phase.Aborted, f.getCanary("api").getStatus().phase);
            assertEquals(CANARY, send("/", HEADER));
            assertEquals(CANARY, send("/", COOKIE));

            // stop: the tester rules go (and settle) before the canary pods do, the route comes back byte for byte
            client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
            await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
            await().atMost(DEADLINE).until(() -> client.services().inNamespace(f.namespace).withName("api-canary")
                    .get() == null);
        }
        JsonNode after = Fixture.JSON.convertValue(route(), JsonNode.class);
        assertEquals(original, after.get("spec"), "the stop restores the route's spec exactly, no tester rule left");
        assertTrue(after.at("/metadata/annotations").isMissingNode() || after.at("/metadata/annotations").isEmpty(),
                "Serin's annotations are gone: " + after.at("/metadata/annotations"));
        checkEveryRouteVersion(server.writes());
    }

    @Test
    void theStickyCookieKeepsUsersOnTheCanaryAndAbortDropsItInTheWriteThatSetsWeightZero() {
        setup();
        try (EndpointSliceController slices = new EndpointSliceController(client, f.namespace).start()
                .followDeployments()) {
            Canary c = withTesters(3);
            c.getSpec().sticky = new Sticky("serin-canary", "1h");
            f.create(c);
            Map<String, Integer> split = Map.of("api-stable", 873, "api-canary", 27, "legacy", 100);
            await().atMost(DEADLINE).until(() -> {
                f.markReady("api-canary");
                return send("/", USER).equals(split)
                        && send("/", Map.of("cookie", "serin-canary=v2")).equals(CANARY);
            });
            JsonNode canaryRef = Fixture.JSON.convertValue(route(), JsonNode.class).at("/spec/rules/1/backendRefs/1");
            assertEquals("api-canary", canaryRef.path("name").asText());
            assertEquals(1, canaryRef.path("filters").size(), "one ResponseHeaderModifier: the filter cannot repeat");
            assertEquals(Fixture.JSON.unmarshal("""
                    [{"name": "x-served-by", "value": "api"},
                     {"name": "set-cookie", "value": "serin-canary=v2; Max-Age=3600; Path=/"}]""", JsonNode.class),
                    canaryRef.at("/filters/0/responseHeaderModifier/add"), "canary responses set the cookie");
            assertEquals(split, send("/", Map.of("cookie", "serin-canary=v1")), "a cookie of another version is no ticket");

            await().atMost(DEADLINE).until(controller::idle);
            int before = server.writes().size();
            patch("{\"metadata\": {\"annotations\": {\"serin.dev/action\": \"abort\"}}}");
            await().atMost(DEADLINE).until(() -> send("/", USER).equals(Map.of("api-stable", 9, "legacy", 1)));
            JsonNode atZero = server.writes().subList(before, server.writes().size()).stream()
                    .filter(w -> "httproutes".equals(w.resource()) && f.namespace.equals(w.namespace()))
                    .map(Written.Write::object).findFirst().orElseThrow();
            assertEquals(Map.of("api-stable", 9, "legacy", 1), send(atZero, "/", USER), "the first write sets weight 0");
            assertFalse(atZero.toString().contains("serin-canary"), "and drops the sticky match and cookie with it");
            assertEquals(CANARY, send(atZero, "/", HEADER), "the testers stay");
        }
    }

    @Test
    void noReadyCanaryPodTakesTheTesterRulesAwayUntilOneIsBack() {
        setup();
        try (EndpointSliceController slices = new EndpointSliceController(client, f.namespace).start()
                .followDeployments()) {
            f.create(withTesters(0));
            f.markReady("api-canary");
            await().atMost(DEADLINE).until(() -> send("/", HEADER).equals(CANARY));
            Fixture.retryOnConflict(() -> {
                var d = f.deploymentNow("api-canary");
                d.getStatus().setReadyReplicas(0);
                return client.apps().deployments().inNamespace(f.namespace).resource(d).updateStatus();
            });
            await().atMost(DEADLINE).until(() -> send("/", HEADER).equals(Map.of("api-stable", 9, "legacy", 1)));
            assertEquals(9, Fixture.JSON.convertValue(route(), JsonNode.class).at("/spec/rules/1/backendRefs/0/weight")
                    .asInt(), "the split stays");
            f.markReady("api-canary");
            await().atMost(DEADLINE).until(() -> send("/", HEADER).equals(CANARY));
            await().atMost(DEADLINE).until(() -> f.eventReasons().contains("TesterRoutesRemoved")
                    && f.eventReasons().contains("TesterRoutesWritten"));
        }
    }

    @Test
    void aRuleReplacingItsPrefixGetsTesterRulesTheCrdsCelAccepts() {
        setup("""
                {"parentRefs": [{"name": "api", "kind": "Service", "group": ""}],
                 "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/api"}}],
                   "filters": [{"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}}],
                   "backendRefs": [{"name": "api", "port": 80}]}]}""");
        try (EndpointSliceController slices = new EndpointSliceController(client, f.namespace).start()
                .followDeployments()) {
            f.create(withTesters(3));
            await().atMost(DEADLINE).until(() -> {
                f.markReady("api-canary");
                return send("/api/x", HEADER).equals(CANARY);
            });
            assertEquals(CANARY, send("/api/x", COOKIE));
            assertEquals(Map.of("api-stable", 97, "api-canary", 3), send("/api/x", USER));
            for (JsonNode rule : Fixture.JSON.convertValue(route(), JsonNode.class).at("/spec/rules")) {
                assertEquals(1, rule.path("matches").size(), "one PathPrefix match beside ReplacePrefixMatch: " + rule);
            }
        }
    }

    @Test
    void testerRulesPastGatewayApisLimitsAreRefusedAndNothingIsWritten() {
        StringBuilder rules = new StringBuilder();
        for (int i = 0; i < 9; i++) { // 9 rules to the host and 9 tester rules: past 16
            rules.append(i == 0 ? "" : ",").append("{\"matches\": [{\"path\": {\"type\": \"PathPrefix\", \"value\": \"/p")
                    .append(i).append("\"}}], \"backendRefs\": [{\"name\": \"api\", \"port\": 80}]}");
        }
        setup("{\"parentRefs\": [{\"name\": \"api\", \"kind\": \"Service\", \"group\": \"\"}], \"rules\": [" + rules
                + "]}");
        try (EndpointSliceController slices = new EndpointSliceController(client, f.namespace).start()
                .followDeployments()) {
            f.create(withTesters(0));
            // refused from the start, as the spec asks for it: not only once the canary is ready
            await().atMost(DEADLINE).until(() -> {
                Canary now = f.getCanary("api");
                return now.getStatus() != null && Conditions.find(now.getStatus().conditions, "Valid") != null
                        && "TesterRulesExceedLimits".equals(
                                Conditions.find(now.getStatus().conditions, "Valid").getReason());
            });
            String message = Conditions.find(f.getCanary("api").getStatus().conditions, "Valid").getMessage();
            assertTrue(message.contains("18 rules") && message.contains("16 rules per route"), message);
            await().atMost(DEADLINE).until(controller::idle);
            assertEquals(0, routeWrites(), "nothing written to the HTTPRoute");
            assertEquals(Map.of("api", 1), send("/p0", HEADER));
        }
    }

    long routeWrites() {
        return server.writes().stream().filter(w -> "httproutes".equals(w.resource()) && w.by(Identity.SERIN.user())
                && f.namespace.equals(w.namespace())).count();
    }

    void patch(String merge) {
        client.resources(Canary.class).inNamespace(f.namespace).withName("api")
                .patch(PatchContext.of(PatchType.JSON_MERGE), merge);
    }
}
