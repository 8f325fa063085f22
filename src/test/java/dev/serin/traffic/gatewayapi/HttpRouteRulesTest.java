package dev.serin.traffic.gatewayapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.traffic.Outcome;
import dev.serin.traffic.Refusal;
import dev.serin.traffic.Split;
import dev.serin.traffic.Weight;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpRouteRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** As the API server stores it: group, kind and weight defaulted on every backendRef. */
    static final String ROUTE = """
            {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
             "metadata": {"name": "api", "namespace": "web", "labels": {"team": "a"}},
             "spec": {
               "parentRefs": [{"name": "public"}],
               "hostnames": ["api.example.com"],
               "rules": [
                 {"matches": [{"path": {"type": "PathPrefix", "value": "/admin"}}],
                  "backendRefs": [{"group": "", "kind": "Service", "name": "admin", "port": 8080, "weight": 1}]},
                 {"matches": [{"path": {"type": "PathPrefix", "value": "/"}}],
                  "timeouts": {"request": "10s"},
                  "filters": [{"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "x-a", "value": "1"}]}}],
                  "backendRefs": [
                    {"group": "", "kind": "Service", "name": "api", "port": 80, "weight": 9,
                     "filters": [{"type": "ResponseHeaderModifier", "responseHeaderModifier": {"add": [{"name": "x-served-by", "value": "api"}]}}]},
                    {"group": "", "kind": "Service", "name": "legacy", "port": 80, "weight": 1}]}
               ]
             }}""";

    static final String ALONE = """
            {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
             "metadata": {"name": "api", "namespace": "web"},
             "spec": {"parentRefs": [{"name": "public"}],
               "rules": [{"name": "main", "backendRefs": [{"group": "", "kind": "Service", "name": "api", "port": 80, "weight": 1}]}]}}""";

    private static Split split(String percent) {
        return Split.relative(Weight.ofPercent(Double.parseDouble(percent)).orElseThrow());
    }

    @Test
    void aLoneBackendGetsTheReducedRatioOnTheCanarysTwoServices() {
        JsonNode refs = HttpRouteRules.withSplit(json(ALONE), "api", "api", split("0.25")).orElseThrow()
                .at("/spec/rules/0/backendRefs");
        assertEquals(json("""
                {"r": [{"group": "", "kind": "Service", "name": "api-stable", "port": 80, "weight": 399},
                       {"group": "", "kind": "Service", "name": "api-canary", "port": 80, "weight": 1}]}""").get("r"),
                refs);
        JsonNode eighth = HttpRouteRules.withSplit(json(ALONE), "api", "api", split("12.5")).orElseThrow()
                .at("/spec/rules/0/backendRefs");
        assertEquals(7, eighth.at("/0/weight").asInt());
        assertEquals(1, eighth.at("/1/weight").asInt());
    }

    @Test
    void zeroNamesOnlyTheStableServiceAndAHundredOnlyTheCanary() {
        JsonNode none = HttpRouteRules.withSplit(json(ALONE), "api", "api", split("0")).orElseThrow()
                .at("/spec/rules/0/backendRefs");
        assertEquals(1, none.size());
        assertEquals("api-stable", none.at("/0/name").asText());
        JsonNode all = HttpRouteRules.withSplit(json(ALONE), "api", "api", split("100")).orElseThrow()
                .at("/spec/rules/0/backendRefs");
        assertEquals(1, all.size());
        assertEquals("api-canary", all.at("/0/name").asText());
    }

    @Test
    void onlyTheHostsRulesChangeAndAThirdBackendKeepsItsPlaceAndShareExactly() {
        ObjectNode before = json(ROUTE);
        ObjectNode after = HttpRouteRules.withSplit(before, "api", "api", split("3")).orElseThrow();
        JsonNode refs = after.at("/spec/rules/1/backendRefs");
        assertEquals(3, refs.size());
        // host share 9 of 10; 3 % of it exactly: every weight × 100 → 873 : 27 : 100
        assertEquals("api-stable", refs.at("/0/name").asText());
        assertEquals(873, refs.at("/0/weight").asInt());
        assertEquals("api-canary", refs.at("/1/name").asText());
        assertEquals(27, refs.at("/1/weight").asInt());
        assertEquals("legacy", refs.at("/2/name").asText());
        assertEquals(100, refs.at("/2/weight").asInt());
        // the backendRef's filters are kept on both replacements
        assertEquals("api", refs.at("/0/filters/0/responseHeaderModifier/add/0/value").asText());
        assertEquals("api", refs.at("/1/filters/0/responseHeaderModifier/add/0/value").asText());

        ObjectNode expected = before.deepCopy();
        ((ObjectNode) expected.at("/spec/rules/1")).set("backendRefs", refs);
        assertEquals(expected.get("spec"), after.get("spec"), "every other field of the route is untouched");
        assertEquals(List.of(new Split(873, 27)), HttpRouteRules.observe(after, "api", "api").splits());
    }

    @Test
    void stopRestoresTheSpecByteForByteAndRemovesSerinsAnnotations() {
        ObjectNode before = json(ROUTE);
        ObjectNode split = before;
        for (String percent : List.of("0", "0.25", "3", "12.5", "100", "0")) {
            split = HttpRouteRules.withSplit(split, "api", "api", split(percent)).orElseThrow();
        }
        assertTrue(split.at("/metadata/annotations").has(HttpRouteRules.ORIGINAL_ROUTES));
        assertEquals("api", HttpRouteRules.splitHost(split, "api"));
        assertEquals(java.util.Set.of("api"), HttpRouteRules.canaries(split));
        ObjectNode restored = HttpRouteRules.restored(split, "api", "api");
        assertEquals(before, restored);
    }

    @Test
    void readsBackTheShareAndCarriesTheSplitItWrote() {
        ObjectNode route = HttpRouteRules.withSplit(json(ROUTE), "api", "api", split("0.25")).orElseThrow();
        HttpRouteRules.Observation seen = HttpRouteRules.observe(route, "api", "api");
        assertEquals(1, seen.rules());
        assertEquals(1, seen.splitRules());
        assertEquals(new Split(399, 1), seen.splits().get(0).reduced());
        assertTrue(HttpRouteRules.carries(route, "api", "api", split("0.25")));
        assertFalse(HttpRouteRules.carries(route, "api", "api", split("3")));
        assertFalse(HttpRouteRules.carries(json(ROUTE), "api", "api", split("0")), "an unsplit rule carries nothing");
    }

    @Test
    void aHandEditOfTheWeightsIsRewrittenFromTheOriginal() {
        ObjectNode route = HttpRouteRules.withSplit(json(ALONE), "api", "api", split("3")).orElseThrow();
        ((ObjectNode) route.at("/spec/rules/0/backendRefs/1")).put("weight", 50);
        assertFalse(HttpRouteRules.carries(route, "api", "api", split("3")));
        ObjectNode again = HttpRouteRules.withSplit(route, "api", "api", split("3")).orElseThrow();
        assertEquals(97, again.at("/spec/rules/0/backendRefs/0/weight").asInt());
        assertEquals(3, again.at("/spec/rules/0/backendRefs/1/weight").asInt());
    }

    @Test
    void onlyCoreServicesInTheCanarysNamespaceAreTheHost() {
        ObjectNode route = json("""
                {"metadata": {"name": "r", "namespace": "web"}, "spec": {"rules": [
                  {"backendRefs": [{"name": "api", "namespace": "other", "port": 80}]},
                  {"backendRefs": [{"name": "api", "group": "example.com", "kind": "Backend"}]},
                  {"backendRefs": [{"name": "api", "namespace": "web", "port": 80}]},
                  {"backendRefs": [{"name": "api.web.svc.cluster.local", "port": 80}]}]}}""");
        ObjectNode after = HttpRouteRules.withSplit(route, "api", "api.web.svc.cluster.local", split("50"))
                .orElseThrow();
        assertEquals("api", after.at("/spec/rules/0/backendRefs/0/name").asText());
        assertEquals("api", after.at("/spec/rules/1/backendRefs/0/name").asText());
        assertEquals("api-stable", after.at("/spec/rules/2/backendRefs/0/name").asText());
        assertEquals("web", after.at("/spec/rules/2/backendRefs/1/namespace").asText(),
                "an explicit namespace is kept on both");
        assertEquals("api.web.svc.cluster.local", after.at("/spec/rules/3/backendRefs/0/name").asText(),
                "a backendRef names a Service, not a DNS name");
        assertEquals(1, HttpRouteRules.observe(route, "api", "api").rules());
    }

    @Test
    void weightsThatWouldPassAMillionAreRefusedWithTheirOwnReason() {
        ObjectNode route = json("""
                {"metadata": {"name": "r", "namespace": "web"}, "spec": {"rules": [
                  {"backendRefs": [{"name": "api", "port": 80, "weight": 7},
                                   {"name": "legacy", "port": 80, "weight": 999983}]}]}}""");
        Outcome<ObjectNode> written = HttpRouteRules.withSplit(route, "api", "api", split("0.01"));
        assertTrue(written.refused());
        assertEquals(Refusal.BACKEND_WEIGHTS_OVERFLOW, written.refusal().reason());
        assertTrue(written.refusal().message().contains("rule 0 (unnamed) in HTTPRoute r"), written.refusal().message());
        assertTrue(Refusal.isRefusal(Refusal.BACKEND_WEIGHTS_OVERFLOW));
    }

    @Test
    void aSplitPastSixteenBackendRefsInARuleIsRefused() {
        StringBuilder refs = new StringBuilder("{\"name\": \"api\", \"port\": 80}");
        for (int i = 1; i <= 15; i++) {
            refs.append(", {\"name\": \"other-").append(i).append("\", \"port\": 80}");
        }
        ObjectNode route = json("""
                {"metadata": {"name": "r", "namespace": "web"}, "spec": {"rules": [{"backendRefs": [%s]}]}}"""
                .formatted(refs));
        assertEquals(16, HttpRouteRules.withSplit(route, "api", "api", split("0")).orElseThrow()
                .at("/spec/rules/0/backendRefs").size(), "pinned to the stable Service: one for one");
        assertEquals(16, HttpRouteRules.withSplit(route, "api", "api", split("100")).orElseThrow()
                .at("/spec/rules/0/backendRefs").size(), "all to the canary Service: one for one");
        Outcome<ObjectNode> written = HttpRouteRules.withSplit(route, "api", "api", split("10"));
        assertTrue(written.refused());
        assertEquals(Refusal.TOO_MANY_BACKEND_REFS, written.refusal().reason());
        assertEquals("rule 0 (unnamed) in HTTPRoute r: the split needs 17 backendRefs in the rule (its 16 with the"
                + " host's replaced by api-stable and api-canary), and Gateway API allows at most 16 in one rule",
                written.refusal().message());
        assertTrue(Refusal.isRefusal(Refusal.TOO_MANY_BACKEND_REFS));
    }

    @Test
    void aRuleThatNamesNoHostIsNotARouteToIt() {
        ObjectNode route = json("""
                {"metadata": {"name": "r", "namespace": "web"}, "spec": {"rules": [
                  {"backendRefs": [{"name": "admin", "port": 80}]}]}}""");
        assertEquals(0, HttpRouteRules.observe(route, "api", "api").rules());
        assertEquals(route, HttpRouteRules.withSplit(route, "api", "api", split("3")).orElseThrow());
        assertNull(HttpRouteRules.splitHost(route, "api"));
    }

    @Test
    void theUsersServiceIsNamedUntilSplitAndAgainAfterTheRestore() {
        ObjectNode before = json(ROUTE);
        assertTrue(HttpRouteRules.namesUserService(before, "api", "api"));
        ObjectNode split = HttpRouteRules.withSplit(before, "api", "api", split("0")).orElseThrow();
        assertFalse(HttpRouteRules.namesUserService(split, "api", "api"));
        assertTrue(HttpRouteRules.namesUserService(HttpRouteRules.restored(split, "api", "api"), "api", "api"));
    }

    @Test
    void aSplitRuleWhoseRecordIsLostIsLeftAsItIsExceptThatZeroWithdrawsTheCanary() {
        ObjectNode split = HttpRouteRules.withSplit(json(ALONE), "api", "api", split("3")).orElseThrow();
        ((ObjectNode) split.get("metadata")).remove("annotations");
        ((ObjectNode) split.at("/spec/rules/0")).put("name", "renamed");
        HttpRouteRules.Observation seen = HttpRouteRules.observe(split, "api", "api");
        assertEquals(List.of("rule \"renamed\" in HTTPRoute api"), seen.unmatched());
        assertEquals(split.get("spec"), HttpRouteRules.withSplit(split, "api", "api", split("12.5")).orElseThrow()
                .get("spec"), "left as it is");
        JsonNode withdrawn = HttpRouteRules.withSplit(split, "api", "api", split("0")).orElseThrow()
                .at("/spec/rules/0/backendRefs");
        assertEquals(1, withdrawn.size());
        assertEquals("api-stable", withdrawn.at("/0/name").asText());
        JsonNode restored = HttpRouteRules.restored(split, "api", "api").at("/spec/rules/0/backendRefs");
        assertEquals("api", restored.at("/0/name").asText(), "the user's Service comes back when the record is lost");
    }

    @Test
    void aRouteIsCaughtUpWhenEveryReportingParentSawItsGeneration() {
        assertTrue(RouteAcceptance.caughtUp(json("{\"metadata\": {\"generation\": 4}}")), "nobody reports");
        String reported = """
                {"metadata": {"generation": 4}, "status": {"parents": [
                  {"parentRef": {"name": "public"}, "controllerName": "istio.io/gateway-controller",
                   "conditions": [{"type": "Accepted", "status": "True", "observedGeneration": %d}]},
                  {"parentRef": {"name": "other"}, "controllerName": "x", "conditions": []}]}}""";
        assertFalse(RouteAcceptance.caughtUp(json(reported.formatted(3))));
        assertTrue(RouteAcceptance.caughtUp(json(reported.formatted(4))));
    }

    @Test
    void aRouteIsIstiosWhenIstioIsAmongTheImplementationsReportingOnIt() {
        String route = """
                {"status": {"parents": [{"controllerName": "%s", "parentRef": {"name": "gw"}},
                                        {"controllerName": "%s", "parentRef": {"name": "mesh"}}]}}""";
        var envoy = RouteAcceptance.controllers(json(route.formatted("gateway.envoyproxy.io/gatewayclass-controller",
                "gateway.envoyproxy.io/gatewayclass-controller")));
        assertEquals(java.util.Set.of("gateway.envoyproxy.io/gatewayclass-controller"), envoy);
        assertFalse(RouteAcceptance.byIstio(envoy));
        assertTrue(RouteAcceptance.byIstio(RouteAcceptance.controllers(json(route.formatted(
                "istio.io/gateway-controller", "other.example/x")))), "Istio is one of them");
        assertTrue(RouteAcceptance.byIstio(RouteAcceptance.controllers(json(route.formatted(
                "istio.io/mesh-controller", "istio.io/mesh-controller")))), "Istio's mesh (a Service parentRef)");
        assertTrue(RouteAcceptance.controllers(json("{}")).isEmpty(), "nobody reports yet");
    }
}
