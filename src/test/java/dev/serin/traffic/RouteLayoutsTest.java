package dev.serin.traffic;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.reconcile.Conditions;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The VirtualService layouts Argo Rollouts' and Flagger's Istio router tests use, end to end on the strict server
 * (Istio 1.29.6's CRDs): what a user sees in the routes while the canary runs, and that a stop gives back the
 * original byte for byte.
 */
@QuarkusTest
@WithStrictApiServer
class RouteLayoutsTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;
    @jakarta.inject.Inject
    dev.serin.reconcile.EventRecorder events;

    /** Deployment app (version v1) and a DestinationRule for it without subsets; the VirtualServices are the test's. */
    static Fixture app(KubernetesClient client) {
        Fixture f = new Fixture(client);
        f.deployment("app", 10, Map.of("app", "app", "version", "v1"));
        f.istio(f.destinationRule("app", "{\"host\": \"app\"}"));
        return f;
    }

    /** The destinations at a JSON pointer of a VirtualService as "host/subset=weight" ("-" for no weight). */
    static List<String> route(Fixture f, String vs, String pointer) {
        List<String> seen = new ArrayList<>();
        JsonNode node = f.vs(vs);
        for (JsonNode d : node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : node.at(pointer)) {
            JsonNode dest = d.path("destination");
            String subset = dest.path("subset").asText("");
            seen.add(dest.path("host").asText() + (subset.isEmpty() ? "" : "/" + subset) + "="
                    + d.path("weight").asText("-"));
        }
        return seen;
    }

    static void awaitRoute(Fixture f, String vs, String pointer, String... expected) {
        await().atMost(DEADLINE).until(() -> route(f, vs, pointer).equals(List.of(expected)));
    }

    static void awaitApplied(Fixture f, String canary, double weight) {
        await().atMost(DEADLINE).until(() -> {
            Canary c = f.getCanary(canary);
            return c.getStatus() != null && Double.valueOf(weight).equals(c.getStatus().weight)
                    && Conditions.isTrue(c.getStatus().conditions, "TrafficApplied");
        });
    }

    /** Deletes the Canary and waits until its finalizer is released: routes restored, subsets removed. */
    static void stop(Fixture f, String canary) {
        f.client.resources(Canary.class).inNamespace(f.namespace).withName(canary).delete();
        await().atMost(DEADLINE).until(() -> f.getCanary(canary) == null);
    }

    /** A VirtualService as a user wrote it: its spec and metadata without the server's bookkeeping. */
    static JsonNode asWritten(JsonNode vs) {
        var copy = vs.deepCopy();
        var metadata = (com.fasterxml.jackson.databind.node.ObjectNode) copy.get("metadata");
        metadata.retain("name", "namespace", "labels", "annotations");
        return copy;
    }

    /**
     * Equal as JSON values: the strict server hands back a number that went through Serin's update as 10.0 where the
     * user wrote 10 (a real API server prints both as 10), so numbers compare by value.
     */
    static void assertSameJson(JsonNode expected, JsonNode actual, String what) {
        java.util.Comparator<JsonNode> numbersByValue = (a, b) -> a.isNumber() && b.isNumber()
                ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1;
        if (!expected.equals(numbersByValue, actual)) {
            assertEquals(expected, actual, what);
        }
    }

    /** No write for a while: longer than the test configuration's longest retry (max-backoff 500ms) and recheck. */
    static void assertSteady(Fixture f) {
        Map<String, String> before = f.snapshot();
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5)).until(() -> f.snapshot().equals(before));
    }

    @Test
    void aThirdDestinationKeepsItsWeightAndOnlyTheHostsShareIsSplit() {
        Fixture f = app(client);
        f.istio(f.virtualService("app", """
                {"hosts": ["app"], "http": [{"name": "main", "route": [
                  {"destination": {"host": "app"}, "weight": 80},
                  {"destination": {"host": "legacy-app"}, "weight": 20}]}]}"""));
        JsonNode original = asWritten(f.vs("app"));
        f.create(f.canary("app", "app", 10, "v2"));
        f.markReady("app-canary");
        awaitRoute(f, "app", "/spec/http/0/route", "app/stable=72", "app/canary=8", "legacy-app=20");
        awaitApplied(f, "app", 10);
        assertSteady(f);

        f.setWeight("app", 3); // 80 × 3 % is not whole: every weight × 5, legacy-app still a fifth of the route
        awaitRoute(f, "app", "/spec/http/0/route", "app/stable=388", "app/canary=12", "legacy-app=100");
        awaitApplied(f, "app", 3);
        assertSteady(f);

        stop(f, "app");
        assertEquals(original, asWritten(f.vs("app")));
    }

    @Test
    void theSubsetTheRouteNamedLendsItsTrafficPolicyToStableAndCanary() {
        Fixture f = new Fixture(client);
        f.deployment("app", 10, Map.of("app", "app", "version", "v1"));
        f.istio(f.destinationRule("app", """
                {"host": "app", "subsets": [{"name": "v1", "labels": {"version": "v1"},
                  "trafficPolicy": {"loadBalancer": {"simple": "LEAST_REQUEST"}}}]}"""));
        f.istio(f.virtualService("app", """
                {"hosts": ["app"], "http": [{"route": [{"destination": {"host": "app", "subset": "v1"}}]}]}"""));
        JsonNode originalRule = asWritten(f.dr("app"));
        JsonNode originalRoutes = asWritten(f.vs("app"));
        f.create(f.canary("app", "app", 10, "v2"));
        f.markReady("app-canary");
        awaitRoute(f, "app", "/spec/http/0/route", "app/stable=9", "app/canary=1");
        awaitApplied(f, "app", 10);
        JsonNode rule = f.dr("app");
        List<String> subsets = new ArrayList<>();
        for (JsonNode subset : rule.at("/spec/subsets")) {
            subsets.add(subset.path("name").asText() + ":" + subset.path("labels").path("version").asText() + ":"
                    + subset.at("/trafficPolicy/loadBalancer/simple").asText("none"));
        }
        // stable still selects the stable pods by the subset label alone, as before; both carry v1's policy
        assertEquals(List.of("v1:v1:LEAST_REQUEST", "stable:v1:LEAST_REQUEST", "canary:v2:LEAST_REQUEST"), subsets);
        assertSteady(f);

        stop(f, "app");
        assertEquals(originalRoutes, asWritten(f.vs("app")));
        assertEquals(originalRule, asWritten(f.dr("app")));
    }

    static Canary listing(Fixture f, String... virtualServices) {
        Canary c = f.canary("app", "app", 10, "v2");
        c.getSpec().traffic = new dev.serin.api.v1alpha1.TrafficSpec();
        c.getSpec().traffic.virtualServices = List.of(virtualServices);
        return c;
    }

    @Test
    void tlsRoutesBySniAndTcpRoutesByPortAreSplitAndOtherHostsLeftAlone() {
        Fixture f = app(client);
        f.istio(f.virtualService("app", """
                {"hosts": ["app.example.com", "app"], "gateways": ["edge", "mesh"],
                 "tls": [{"match": [{"port": 443, "sniHosts": ["app.example.com"]}],
                          "route": [{"destination": {"host": "app", "port": {"number": 8443}}}]},
                         {"match": [{"port": 443, "sniHosts": ["other.example.com"]}],
                          "route": [{"destination": {"host": "other"}}]}],
                 "tcp": [{"match": [{"port": 5432}], "route": [{"destination": {"host": "app", "port": {"number": 5432}}}]},
                         {"match": [{"port": 6379}], "route": [{"destination": {"host": "cache"}}]}]}"""));
        JsonNode original = asWritten(f.vs("app"));
        f.create(f.canary("app", "app", 10, "v2"));
        f.markReady("app-canary");
        awaitRoute(f, "app", "/spec/tls/0/route", "app/stable=9", "app/canary=1");
        awaitRoute(f, "app", "/spec/tcp/0/route", "app/stable=9", "app/canary=1");
        awaitApplied(f, "app", 10);
        JsonNode split = f.vs("app");
        assertEquals(original.at("/spec/tls/1"), split.at("/spec/tls/1"));
        assertEquals(original.at("/spec/tcp/1"), split.at("/spec/tcp/1"));
        assertEquals(original.at("/spec/tls/0/match"), split.at("/spec/tls/0/match"));
        assertEquals(8443, split.at("/spec/tls/0/route/1/destination/port/number").asInt());
        assertEquals(5432, split.at("/spec/tcp/0/route/1/destination/port/number").asInt());
        assertSteady(f);

        stop(f, "app");
        assertEquals(original, asWritten(f.vs("app")));
    }

    @Test
    void aDelegateIsSplitInTheChildTheCanaryListsAndTheRootIsNeverTouched() {
        Fixture f = app(client);
        f.istio(f.virtualService("root", """
                {"hosts": ["app.example.com"], "gateways": ["edge"],
                 "http": [{"match": [{"uri": {"prefix": "/app"}}], "delegate": {"name": "app-child", "namespace": "%s"}}]}"""
                .formatted(f.namespace)));
        f.istio(f.virtualService("app-child", """
                {"http": [{"match": [{"uri": {"prefix": "/app/v"}}], "route": [{"destination": {"host": "app"}}]}]}"""));
        String rootVersion = f.vs("root").at("/metadata/resourceVersion").asText();
        JsonNode child = asWritten(f.vs("app-child"));

        // the root has no route of its own: it is refused, not split
        f.create(listing(f, "root"));
        await().atMost(DEADLINE).until(() -> f.getCanary("app").getStatus() != null && "NoRouteForHost".equals(
                Conditions.find(f.getCanary("app").getStatus().conditions, "Valid").getReason()));
        f.client.resources(Canary.class).inNamespace(f.namespace).withName("app").edit(c -> {
            c.getSpec().traffic.virtualServices = List.of("app-child");
            return c;
        });
        f.markReady("app-canary");
        awaitRoute(f, "app-child", "/spec/http/0/route", "app/stable=9", "app/canary=1");
        awaitApplied(f, "app", 10);
        assertSteady(f);

        stop(f, "app");
        assertEquals(child, asWritten(f.vs("app-child")));
        assertEquals(rootVersion, f.vs("root").at("/metadata/resourceVersion").asText());
    }

    @Test
    void twoVirtualServicesOnOneHostAreSplitAlikeAndBothRestored() {
        Fixture f = app(client);
        f.istio(f.virtualService("app-mesh", """
                {"hosts": ["app"], "gateways": ["mesh"], "http": [{"route": [{"destination": {"host": "app"}}]}]}"""));
        f.istio(f.virtualService("app-edge", """
                {"hosts": ["app.example.com"], "gateways": ["edge"],
                 "http": [{"timeout": "5s", "route": [{"destination": {"host": "app.%s.svc.cluster.local"}, "weight": 90},
                                                     {"destination": {"host": "maintenance"}, "weight": 10}]}]}"""
                .formatted(f.namespace)));
        JsonNode mesh = asWritten(f.vs("app-mesh"));
        JsonNode edge = asWritten(f.vs("app-edge"));
        f.create(listing(f, "app-mesh", "app-edge"));
        f.markReady("app-canary");
        awaitRoute(f, "app-mesh", "/spec/http/0/route", "app/stable=9", "app/canary=1");
        String fqdn = "app." + f.namespace + ".svc.cluster.local";
        awaitRoute(f, "app-edge", "/spec/http/0/route", fqdn + "/stable=81", fqdn + "/canary=9", "maintenance=10");
        awaitApplied(f, "app", 10);
        assertSteady(f);

        f.setWeight("app", 0);
        awaitRoute(f, "app-mesh", "/spec/http/0/route", "app/stable=-");
        awaitRoute(f, "app-edge", "/spec/http/0/route", fqdn + "/stable=90", "maintenance=10");
        awaitApplied(f, "app", 0);

        stop(f, "app");
        assertEquals(mesh, asWritten(f.vs("app-mesh")));
        assertEquals(edge, asWritten(f.vs("app-edge")));
    }

    @Test
    void mirrorsAreKeptAndAMirrorToTheHostIsNoDestination() {
        Fixture f = app(client);
        f.istio(f.virtualService("app", """
                {"hosts": ["app"], "http": [
                  {"name": "shadowed", "match": [{"uri": {"prefix": "/api"}}],
                   "route": [{"destination": {"host": "app"}}],
                   "mirror": {"host": "app-shadow"}, "mirrorPercentage": {"value": 25.5}},
                  {"name": "copied", "match": [{"uri": {"prefix": "/copy"}}],
                   "route": [{"destination": {"host": "app"}}],
                   "mirrors": [{"destination": {"host": "app"}, "percentage": {"value": 10}}]},
                  {"name": "elsewhere", "route": [{"destination": {"host": "other"}}], "mirror": {"host": "app"}}]}"""));
        JsonNode original = asWritten(f.vs("app"));
        f.create(f.canary("app", "app", 10, "v2"));
        f.markReady("app-canary");
        awaitRoute(f, "app", "/spec/http/0/route", "app/stable=9", "app/canary=1");
        awaitRoute(f, "app", "/spec/http/1/route", "app/stable=9", "app/canary=1");
        awaitApplied(f, "app", 10);
        JsonNode split = f.vs("app");
        for (String kept : List.of("/spec/http/0/mirror", "/spec/http/0/mirrorPercentage", "/spec/http/1/mirrors",
                "/spec/http/2")) {
            assertSameJson(original.at(kept), split.at(kept), kept);
        }
        assertSteady(f);

        stop(f, "app");
        assertSameJson(original, asWritten(f.vs("app")), "restored");
    }

    @Test
    void theSameNameInAnotherNamespaceIsAnotherHost() {
        Fixture f = app(client);
        Fixture other = new Fixture(client);
        other.deployment("app", 3, Map.of("app", "app", "version", "v1"));
        other.istio(other.destinationRule("app", "{\"host\": \"app\", \"subsets\": [{\"name\": \"v1\", "
                + "\"labels\": {\"version\": \"v1\"}}]}"));
        other.istio(other.virtualService("app", """
                {"hosts": ["app"], "http": [{"route": [{"destination": {"host": "app", "subset": "v1"}}]}]}"""));
        String otherHost = "app." + other.namespace + ".svc.cluster.local";
        f.istio(f.virtualService("app", """
                {"hosts": ["app"], "http": [
                  {"match": [{"uri": {"prefix": "/b"}}], "route": [{"destination": {"host": "%1$s"}}]},
                  {"route": [{"destination": {"host": "app"}, "weight": 50}, {"destination": {"host": "%1$s"}, "weight": 50}]}]}"""
                .formatted(otherHost)));
        JsonNode original = asWritten(f.vs("app"));
        Map<String, String> otherBefore = other.snapshot();
        f.create(f.canary("app", "app", 10, "v2"));
        f.markReady("app-canary");
        awaitRoute(f, "app", "/spec/http/1/route", "app/stable=45", "app/canary=5", otherHost + "=50");
        awaitApplied(f, "app", 10);
        assertEquals(original.at("/spec/http/0"), f.vs("app").at("/spec/http/0"));
        assertSteady(f);

        stop(f, "app");
        assertEquals(original, asWritten(f.vs("app")));
        assertEquals(otherBefore, other.snapshot());
    }

    /** Plays the Deployment controller once Serin has scaled the canary pods to {@code replicas}. */
    static void awaitReadyFor(Fixture f, int replicas) {
        await().atMost(DEADLINE).until(() -> f.deploymentNow("app-canary").getSpec().getReplicas() == replicas);
        f.markReady("app-canary");
    }

    /** The port of each destination at a JSON pointer ("-" for none). */
    static List<String> ports(Fixture f, String vs, String pointer) {
        List<String> seen = new ArrayList<>();
        for (JsonNode d : f.vs(vs).at(pointer)) {
            seen.add(d.at("/destination/port/number").asText("-"));
        }
        return seen;
    }

    /** Someone inserts an HTTP route into the live VirtualService (kubectl edit: Serin's splits stay as they are). */
    @SuppressWarnings("unchecked")
    static void insertRoute(Fixture f, String vs, int at, String routeJson) {
        Fixture.retryOnConflict(() -> f.client.genericKubernetesResources(f.istio.virtualServices())
                .inNamespace(f.namespace).withName(vs).edit(r -> {
                    var http = (List<Object>) ((Map<String, Object>) r.getAdditionalProperties().get("spec")).get("http");
                    http.add(at, Fixture.JSON.unmarshal(routeJson, Map.class));
                    return r;
                }));
    }

    static JsonNode withRouteAt(JsonNode vs, int at, String routeJson) {
        JsonNode copy = vs.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) copy.at("/spec/http")).insert(at,
                Fixture.JSON.unmarshal(routeJson, JsonNode.class));
        return copy;
    }

    static final String DOCS = """
            {"name": "docs", "match": [{"uri": {"prefix": "/docs"}}], "route": [{"destination": {"host": "docs"}}]}""";

    /**
     * A route inserted before the split ones moves them: each keeps its own destinations (grpc its port 9090), found by
     * name, and the stop gives each its own original back, in the layout as it is now.
     */
    @Test
    void namedRoutesThatMovedKeepTheirOwnDestinationsAndGetThemBack() {
        Fixture f = app(client);
        f.istio(f.virtualService("app", """
                {"hosts": ["app"], "http": [
                  {"name": "grpc", "match": [{"uri": {"prefix": "/grpc"}}],
                   "route": [{"destination": {"host": "app", "port": {"number": 9090}}}]},
                  {"name": "main", "route": [{"destination": {"host": "app", "port": {"number": 80}}}]}]}"""));
        JsonNode original = asWritten(f.vs("app"));
        f.create(f.canary("app", "app", 10, "v2"));
        f.markReady("app-canary");
        awaitRoute(f, "app", "/spec/http/0/route", "app/stable=9", "app/canary=1");
        awaitRoute(f, "app", "/spec/http/1/route", "app/stable=9", "app/canary=1");
        awaitApplied(f, "app", 10);

        insertRoute(f, "app", 0, DOCS);
        f.setWeight("app", 20);
        awaitReadyFor(f, 2);
        awaitRoute(f, "app", "/spec/http/1/route", "app/stable=4", "app/canary=1");
        awaitRoute(f, "app", "/spec/http/2/route", "app/stable=4", "app/canary=1");
        awaitApplied(f, "app", 20);
        assertEquals(List.of("9090", "9090"), ports(f, "app", "/spec/http/1/route"), "grpc");
        assertEquals(List.of("80", "80"), ports(f, "app", "/spec/http/2/route"), "main");
        assertSteady(f);

        stop(f, "app");
        assertSameJson(withRouteAt(original, 0, DOCS), asWritten(f.vs("app")), "restored");
    }

    /** Unnamed routes that moved are told apart by their content: their match, and destinations of their own. */
    @Test
    void unnamedRoutesThatMovedAreFollowedByTheirMatchAndDestinations() {
        Fixture f = app(client);
        f.istio(f.virtualService("app", """
                {"hosts": ["app"], "http": [
                  {"match": [{"uri": {"prefix": "/grpc"}}], "route": [{"destination": {"host": "app", "port": {"number": 9090}}}]},
                  {"route": [{"destination": {"host": "app", "port": {"number": 80}}}]}]}"""));
        JsonNode original = asWritten(f.vs("app"));
        f.create(f.canary("app", "app", 10, "v2"));
        f.markReady("app-canary");
        awaitRoute(f, "app", "/spec/http/1/route", "app/stable=9", "app/canary=1");
        awaitApplied(f, "app", 10);

        insertRoute(f, "app", 0, DOCS);
        f.setWeight("app", 20);
        awaitReadyFor(f, 2);
        awaitRoute(f, "app", "/spec/http/1/route", "app/stable=4", "app/canary=1");
        awaitRoute(f, "app", "/spec/http/2/route", "app/stable=4", "app/canary=1");
        awaitApplied(f, "app", 20);
        assertEquals(List.of("9090", "9090"), ports(f, "app", "/spec/http/1/route"));
        assertEquals(List.of("80", "80"), ports(f, "app", "/spec/http/2/route"));
        assertSteady(f);

        stop(f, "app");
        assertSameJson(withRouteAt(original, 0, DOCS), asWritten(f.vs("app")), "restored");
    }

    /**
     * A route that names the split's subsets but fits no recorded original (here a copy of the split route under
     * another name) is left alone and reported; the weight still moves on the routes Serin knows. The stop takes
     * the canary out of it and, its original unknown, sends it to the host without a subset.
     */
    @Test
    void aSplitRouteNoRecordFitsIsLeftAloneAndReported() {
        Fixture f = app(client);
        f.istio(f.virtualService("app", """
                {"hosts": ["app"], "http": [{"name": "main", "route": [{"destination": {"host": "app", "port": {"number": 80}}}]}]}"""));
        JsonNode original = asWritten(f.vs("app"));
        f.create(f.canary("app", "app", 10, "v2"));
        f.markReady("app-canary");
        awaitRoute(f, "app", "/spec/http/0/route", "app/stable=9", "app/canary=1");
        awaitApplied(f, "app", 10);

        String copy = """
                {"name": "copy", "match": [{"uri": {"prefix": "/copy"}}], "route": [
                  {"destination": {"host": "app", "port": {"number": 80}, "subset": "stable"}, "weight": 9},
                  {"destination": {"host": "app", "port": {"number": 80}, "subset": "canary"}, "weight": 1}]}""";
        insertRoute(f, "app", 0, copy);
        await().atMost(DEADLINE).until(() -> "UnmatchedRoute".equals(trafficApplied(f).getReason()));
        assertEquals("False", trafficApplied(f).getStatus());
        assertTrue(trafficApplied(f).getMessage().contains("copy"), trafficApplied(f).getMessage());

        f.setWeight("app", 20);
        awaitReadyFor(f, 2);
        awaitRoute(f, "app", "/spec/http/1/route", "app/stable=4", "app/canary=1");
        await().atMost(DEADLINE).until(() -> Double.valueOf(20).equals(f.getCanary("app").getStatus().weight));
        assertEquals(List.of("app/stable=9", "app/canary=1"), route(f, "app", "/spec/http/0/route"), "left alone");
        assertEquals("UnmatchedRoute", trafficApplied(f).getReason());
        assertSteady(f);
        await().atMost(DEADLINE).until(events::idle);
        assertEquals(1, warnings(f, "UnmatchedRoute"));

        stop(f, "app");
        assertSameJson(withRouteAt(original, 0, """
                {"name": "copy", "match": [{"uri": {"prefix": "/copy"}}], "route": [
                  {"destination": {"host": "app", "port": {"number": 80}}}]}"""), asWritten(f.vs("app")), "stopped");
    }

    /**
     * 3 % of a route whose host has weight 30,000,001 beside another destination needs every weight × 100, past
     * Istio's int32: Serin says so once and writes nothing; 10 % (× 10) fits and is written.
     */
    @Test
    void weightsThatWouldPassInt32AreReportedOnceAndNothingIsWritten() {
        Fixture f = app(client);
        f.istio(f.virtualService("app", """
                {"hosts": ["app"], "http": [{"name": "main", "route": [
                  {"destination": {"host": "app"}, "weight": 30000001},
                  {"destination": {"host": "legacy-app"}, "weight": 1}]}]}"""));
        f.create(f.canary("app", "app", 3, "v2"));
        awaitRoute(f, "app", "/spec/http/0/route", "app/stable=30000001", "legacy-app=1"); // pinned: no scaling
        f.markReady("app-canary");
        await().atMost(DEADLINE).until(() -> "RouteWeightsOverflow".equals(trafficApplied(f).getReason()));
        assertEquals("False", trafficApplied(f).getStatus());
        assertTrue(trafficApplied(f).getMessage().startsWith("http route \"main\" in VirtualService app: "),
                trafficApplied(f).getMessage());
        assertTrue(f.getCanary("app").getStatus().phase != dev.serin.api.v1alpha1.Phase.Failed);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> route(f, "app",
                "/spec/http/0/route").equals(List.of("app/stable=30000001", "legacy-app=1")));
        await().atMost(DEADLINE).until(events::idle);
        assertEquals(1, warnings(f, "RouteWeightsOverflow"));

        f.setWeight("app", 10);
        awaitRoute(f, "app", "/spec/http/0/route", "app/stable=270000009", "app/canary=30000001", "legacy-app=10");
        awaitApplied(f, "app", 10);
    }

    static io.fabric8.kubernetes.api.model.Condition trafficApplied(Fixture f) {
        Canary c = f.getCanary("app");
        var found = c == null || c.getStatus() == null ? null : Conditions.find(c.getStatus().conditions, "TrafficApplied");
        return found == null ? new io.fabric8.kubernetes.api.model.Condition() : found;
    }

    /** Warning Events of that reason, an identical one counted on the first as client-go does. */
    static long warnings(Fixture f, String reason) {
        return f.events().stream().filter(e -> reason.equals(e.getReason()) && "Warning".equals(e.getType()))
                .mapToLong(e -> e.getCount() == null ? 1 : e.getCount()).sum();
    }
}
