package dev.serin.traffic.gatewayapi;

import static dev.serin.traffic.gatewayapi.HttpRouteRulesTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.traffic.Outcome;
import dev.serin.traffic.Split;
import dev.serin.traffic.Testers;
import dev.serin.traffic.Weight;
import dev.serin.traffic.gatewayapi.HttpRoutePrecedence.Request;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRouteTestersTest {
    private static final Testers TESTERS = new Testers(List.of(Testers.Match.header("x-canary", "always", false),
            Testers.Match.cookie("canary", "1")), null);
    private static final Testers STICKY = new Testers(List.of(Testers.Match.header("x-canary", "always", false)),
            new Testers.Sticky("serin", "v2", 3600));

    /** /admin to another Service; /api (and /v2 with a header of its own) and everything else to the host. */
    static final String ROUTE = """
            {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
             "metadata": {"name": "api", "namespace": "web"},
             "spec": {"parentRefs": [{"name": "public"}],
               "rules": [
                 {"matches": [{"path": {"type": "PathPrefix", "value": "/admin"}}],
                  "backendRefs": [{"group": "", "kind": "Service", "name": "admin", "port": 8080, "weight": 1}]},
                 {"matches": [{"path": {"type": "PathPrefix", "value": "/api"}},
                              {"path": {"type": "PathPrefix", "value": "/v2"},
                               "headers": [{"type": "Exact", "name": "x-canary", "value": "never"}]}],
                  "timeouts": {"request": "10s"},
                  "backendRefs": [{"group": "", "kind": "Service", "name": "api", "port": 80, "weight": 1}]},
                 {"filters": [{"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "x-a", "value": "1"}]}}],
                  "backendRefs": [{"group": "", "kind": "Service", "name": "api", "port": 80, "weight": 1,
                    "filters": [{"type": "ResponseHeaderModifier", "responseHeaderModifier": {"add": [{"name": "x-served-by", "value": "api"}]}}]}]}
               ]}}""";

    private static Split split(double percent) {
        return Split.relative(Weight.ofPercent(percent).orElseThrow());
    }

    private static ObjectNode written(JsonNode route, double percent, Testers testers) {
        return HttpRouteRules.withSplit(route, "api", "api", split(percent), testers).orElseThrow();
    }

    @Test
    void oneTesterRulePerSplitRuleWithItsMatchesCombinedItsFieldsCopiedAndOnlyTheCanaryBackend() {
        ObjectNode route = written(json(ROUTE), 3, TESTERS);
        JsonNode rules = route.at("/spec/rules");
        assertEquals(5, rules.size(), "the user's three rules, each split one followed by its tester rule");
        assertEquals(json(ROUTE).at("/spec/rules/0"), rules.get(0), "a rule to another Service is untouched");

        JsonNode api = rules.get(2);
        assertEquals(arr("""
                [{"path": {"type": "PathPrefix", "value": "/api"},
                  "headers": [{"name": "x-canary", "type": "Exact", "value": "always"}]},
                 {"path": {"type": "PathPrefix", "value": "/api"},
                  "headers": [{"name": "cookie", "type": "RegularExpression", "value": "%s"}]},
                 {"path": {"type": "PathPrefix", "value": "/v2"},
                  "headers": [{"type": "Exact", "name": "x-canary", "value": "never"},
                              {"name": "cookie", "type": "RegularExpression", "value": "%s"}]}]"""
                .formatted(regex(), regex())), api.get("matches"),
                "/api with each tester; /v2 already asks x-canary: only the cookie tester is added to it");
        assertEquals(json("{\"request\": \"10s\"}"), api.get("timeouts"));
        assertEquals(arr("""
                [{"group": "", "kind": "Service", "name": "api-canary", "port": 80, "weight": 1}]"""),
                api.get("backendRefs"));

        JsonNode all = rules.get(4);
        assertEquals("/", all.at("/matches/0/path/value").asText(), "no matches: the tester matches alone, on /");
        assertEquals("PathPrefix", all.at("/matches/0/path/type").asText());
        assertEquals(2, all.get("matches").size());
        assertEquals(rules.at("/3/filters"), all.get("filters"), "the rule's filters copied");
        assertEquals("x-served-by", all.at("/backendRefs/0/filters/0/responseHeaderModifier/add/0/name").asText(),
                "the backendRef's own filters kept");
        assertEquals(List.of(new Split(97, 3), new Split(97, 3)),
                HttpRouteRules.observe(route, "api", "api").splits(), "tester rules are no split");
    }

    private static String regex() {
        return Testers.cookieRegex("canary", "1").replace("\\", "\\\\");
    }

    @Test
    void aRequestWithTheHeaderOrCookieTakesTheTesterRuleAndOneWithoutFollowsTheSplitAtEveryWeight() {
        Map<Double, Map<String, Integer>> splits = Map.of(
                0.0, Map.of("api-stable", 1),
                3.0, Map.of("api-stable", 97, "api-canary", 3),
                50.0, Map.of("api-stable", 1, "api-canary", 1));
        Map<String, Integer> canary = Map.of("api-canary", 1);
        for (double percent : List.of(0.0, 3.0, 50.0)) {
            JsonNode route = written(json(ROUTE), percent, TESTERS);
            String at = " at " + percent + " %";
            assertEquals(canary, backends(route, "/api/orders", Map.of("x-canary", "always")), "header" + at);
            assertEquals(canary, backends(route, "/orders", Map.of("cookie", "a=b; canary=1")), "cookie" + at);
            assertEquals(canary, backends(route, "/v2/x", Map.of("x-canary", "never", "Cookie", "canary=1")),
                    "cookie beside the rule's own header" + at);
            assertEquals(splits.get(percent), backends(route, "/api/orders", Map.of()), "no tester" + at);
            assertEquals(splits.get(percent), backends(route, "/orders", Map.of("x-canary", "sometimes")),
                    "another value" + at);
            assertEquals(splits.get(percent), backends(route, "/orders", Map.of("cookie", "canary=10")),
                    "another cookie value" + at);
            assertEquals(Map.of("admin", 1), backends(route, "/admin", Map.of("x-canary", "always")),
                    "a rule Serin does not split gets no tester rule" + at);
        }
    }

    private static Map<String, Integer> backends(JsonNode route, String path, Map<String, String> headers) {
        return HttpRoutePrecedence.route(Request.get(path, headers), route).orElseThrow().backends();
    }

    @Test
    void testerRulesAreLeftOutOfTheReadBackAndAWeightChangeLeavesThemAsTheyAre() {
        ObjectNode at3 = written(json(ROUTE), 3, TESTERS);
        assertEquals(2, HttpRouteRules.testerRules(at3, "api", "api"));
        assertTrue(HttpRouteRules.carries(at3, "api", "api", split(3), TESTERS));
        assertFalse(HttpRouteRules.carries(at3, "api", "api", split(3), Testers.NONE), "without testers: a write");
        assertTrue(HttpRouteRules.carries(HttpRouteRules.withoutTesters(at3, "api", "api"), "api", "api", split(3)),
                "the split alone is written");
        assertEquals(written(json(ROUTE), 3, Testers.NONE), HttpRouteRules.withoutTesters(at3, "api", "api"));

        ObjectNode at50 = written(at3, 50, TESTERS);
        assertEquals(at3.at("/spec/rules/2"), at50.at("/spec/rules/2"), "the tester rules as they were");
        assertEquals(at3.at("/spec/rules/4"), at50.at("/spec/rules/4"));
        assertEquals(written(json(ROUTE), 50, TESTERS), at50, "the same as written at once");

        ObjectNode gone = written(at50, 50, Testers.NONE);
        assertEquals(3, gone.at("/spec/rules").size());
        assertEquals(0, HttpRouteRules.testerRules(gone, "api", "api"));
    }

    @Test
    void aRuleAddedAfterTheTesterRulesKeepsItsPlaceAndTheyAreStillKnown() {
        ObjectNode route = written(json(ROUTE), 3, TESTERS);
        JsonNode added = json("{\"matches\": [{\"path\": {\"type\": \"Exact\", \"value\": \"/health\"}}],"
                + " \"backendRefs\": [{\"group\": \"\", \"kind\": \"Service\", \"name\": \"health\", \"port\": 80, \"weight\": 1}]}");
        ((ArrayNode) route.at("/spec/rules")).add(added);
        assertEquals(2, HttpRouteRules.testerRules(route, "api", "api"));
        assertTrue(HttpRouteRules.carries(route, "api", "api", split(3), TESTERS), "nothing of Serin's to change");
        ObjectNode at50 = written(route, 50, TESTERS);
        assertEquals(added, at50.at("/spec/rules/5"), "the user's rule keeps its place");
        assertEquals(6, at50.at("/spec/rules").size());
        ObjectNode expected = json(ROUTE);
        ((ArrayNode) expected.at("/spec/rules")).add(added);
        assertEquals(expected, HttpRouteRules.restored(at50, "api", "api"));
    }

    @Test
    void twoCanariesOnOneRouteEachKeepTheirTesterRulesWithoutUndoingTheOthers() {
        ObjectNode route = json(ROUTE);
        ((ArrayNode) route.at("/spec/rules")).insert(0, json("""
                {"matches": [{"path": {"type": "PathPrefix", "value": "/web"}}],
                 "backendRefs": [{"group": "", "kind": "Service", "name": "web", "port": 80, "weight": 1}]}"""));
        ObjectNode api = written(route, 3, TESTERS);
        ObjectNode both = HttpRouteRules.withSplit(api, "web", "web", split(50), TESTERS).orElseThrow();
        assertEquals(1, HttpRouteRules.testerRules(both, "web", "web"));
        assertEquals(2, HttpRouteRules.testerRules(both, "api", "api"));
        assertTrue(HttpRouteRules.carries(both, "api", "api", split(3), TESTERS), "web's write leaves api's as it is");
        assertTrue(HttpRouteRules.carries(both, "web", "web", split(50), TESTERS));
        assertEquals(Map.of("web-canary", 1), backends(both, "/web/x", Map.of("x-canary", "always")));
        assertEquals(Map.of("api-canary", 1), backends(both, "/api/x", Map.of("x-canary", "always")));
        assertEquals(route, HttpRouteRules.restored(HttpRouteRules.restored(both, "api", "api"), "web", "web"));
    }

    @Test
    void theApiServersDefaultsChangeNothingSerinWrites() {
        ObjectNode stored = defaulted(json(ROUTE));
        ObjectNode route = written(stored, 3, TESTERS);
        assertEquals(route, defaulted(route), "every default written out: the server stores the rules as sent");
        assertEquals(2, HttpRouteRules.testerRules(route, "api", "api"));
        assertTrue(HttpRouteRules.carries(route, "api", "api", split(3), TESTERS));
    }

    /** The HTTPRoute CRD's defaults on rules: a missing match is PathPrefix /, header type Exact, weight 1 … */
    private static ObjectNode defaulted(JsonNode route) {
        ObjectNode copy = route.deepCopy();
        for (JsonNode rule : copy.at("/spec/rules")) {
            if (!rule.has("matches")) {
                ((ObjectNode) rule).set("matches", arr("[{\"path\": {}}]"));
            }
            for (JsonNode m : rule.path("matches")) {
                ObjectNode path = ((ObjectNode) m).with("path");
                path.put("type", path.path("type").asText("PathPrefix"));
                path.put("value", path.path("value").asText("/"));
                m.path("headers").forEach(h -> ((ObjectNode) h).put("type", h.path("type").asText("Exact")));
            }
            for (JsonNode ref : rule.path("backendRefs")) {
                ObjectNode r = (ObjectNode) ref;
                r.put("group", r.path("group").asText(""));
                r.put("kind", r.path("kind").asText("Service"));
                r.put("weight", r.path("weight").asInt(1));
            }
        }
        return copy;
    }

    static JsonNode arr(String text) {
        return json("{\"a\": " + text + "}").get("a");
    }

    @Test
    void stopRestoresTheRouteByteForByteTheTesterRulesAndCookieGone() {
        ObjectNode route = json(ROUTE);
        for (double percent : List.of(0.0, 3.0, 50.0, 0.0, 12.5)) {
            route = written(route, percent, STICKY);
        }
        assertEquals(json(ROUTE), HttpRouteRules.restored(route, "api", "api"));
        ObjectNode at3 = written(json(ROUTE), 3, TESTERS);
        assertEquals(json(ROUTE), HttpRouteRules.restored(at3, "api", "api"));
    }

    @Test
    void stickySetsTheCookieOnCanaryResponsesMergedIntoTheirFilterAndIsATesterMatchAboveZero() {
        ObjectNode route = written(json(ROUTE), 3, STICKY);
        JsonNode canaryRef = route.at("/spec/rules/3/backendRefs/1");
        assertEquals("api-canary", canaryRef.path("name").asText());
        assertEquals(1, canaryRef.path("filters").size(), "one ResponseHeaderModifier: the filter cannot repeat");
        assertEquals(arr("""
                [{"name": "x-served-by", "value": "api"},
                 {"name": "set-cookie", "value": "serin=v2; Max-Age=3600; Path=/"}]"""),
                canaryRef.at("/filters/0/responseHeaderModifier/add"));
        assertEquals(1, route.at("/spec/rules/3/backendRefs/0/filters/0/responseHeaderModifier/add").size(),
                "the stable backend sets no cookie");
        JsonNode apiCanaryRef = route.at("/spec/rules/1/backendRefs/1");
        assertEquals(arr("""
                [{"type": "ResponseHeaderModifier", "responseHeaderModifier": {"add":
                  [{"name": "set-cookie", "value": "serin=v2; Max-Age=3600; Path=/"}]}}]"""),
                apiCanaryRef.get("filters"), "a filter of its own where there was none");
        assertEquals(Map.of("api-canary", 1), backends(route, "/orders", Map.of("cookie", "serin=v2")));
        assertEquals(Map.of("api-stable", 97, "api-canary", 3), backends(route, "/orders", Map.of("cookie", "serin=v1")),
                "a cookie from an earlier canary sends nobody here");
        assertEquals(List.of(new Split(97, 3), new Split(97, 3)), HttpRouteRules.observe(route, "api", "api").splits(),
                "the cookie is no change of the split");

        ObjectNode atZero = written(route, 0, STICKY);
        assertEquals(Map.of("api-stable", 1), backends(atZero, "/orders", Map.of("cookie", "serin=v2")),
                "rollback to 0 drops the sticky match in the same write");
        assertEquals(Map.of("api-canary", 1), backends(atZero, "/orders", Map.of("x-canary", "always")),
                "the tester stays");
        assertFalse(atZero.toString().contains("set-cookie"));
    }

    @Test
    void aRuleReplacingItsPrefixGetsOneTesterRulePerMatchAsTheCrdRequires() {
        ObjectNode route = json(ROUTE);
        ObjectNode api = (ObjectNode) route.at("/spec/rules/1");
        api.set("matches", arr("[{\"path\": {\"type\": \"PathPrefix\", \"value\": \"/api\"}}]"));
        api.set("filters", arr("""
                [{"type": "URLRewrite", "urlRewrite": {"path": {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}}}]"""));
        ObjectNode written = written(route, 3, TESTERS);
        JsonNode rules = written.at("/spec/rules");
        assertEquals(6, rules.size(), "the user's three rules, two tester rules for /api (one per match), one for /");
        for (int i = 2; i <= 3; i++) {
            assertEquals(1, rules.get(i).get("matches").size(), "exactly one PathPrefix match beside ReplacePrefixMatch");
            assertEquals("/api", rules.get(i).at("/matches/0/path/value").asText());
            assertEquals(api.get("filters"), rules.get(i).get("filters"));
        }
        assertEquals(3, HttpRouteRules.testerRules(written, "api", "api"));
        assertEquals(Map.of("api-canary", 1), backends(written, "/api/x", Map.of("x-canary", "always")));
        assertEquals(Map.of("api-canary", 1), backends(written, "/api/x", Map.of("cookie", "canary=1")));
        assertEquals(Map.of("api-stable", 97, "api-canary", 3), backends(written, "/api/x", Map.of()));
        assertEquals(route, HttpRouteRules.restored(written, "api", "api"));
    }

    @Test
    void pastGatewayApisLimitsTheWriteIsRefusedNamingTheLimit() {
        ObjectNode many = json(ROUTE);
        ArrayNode rules = (ArrayNode) many.at("/spec/rules");
        for (int i = 0; i < 5; i++) {
            rules.add(json("{\"matches\": [{\"path\": {\"type\": \"PathPrefix\", \"value\": \"/p" + i + "\"}}],"
                    + " \"backendRefs\": [{\"name\": \"api\", \"port\": 80}]}"));
        }
        assertEquals(15, written(many, 3, TESTERS).at("/spec/rules").size(), "8 rules + 7 tester rules: fine");
        rules.add(json("{\"backendRefs\": [{\"name\": \"api\", \"port\": 81}], \"matches\": [{\"method\": \"PUT\"}]}"));
        Outcome<ObjectNode> seventeen = HttpRouteRules.withSplit(many, "api", "api", split(3), TESTERS);
        assertEquals(HttpRouteTesters.LIMITS, seventeen.refusal().reason());
        assertTrue(seventeen.refusal().message().contains("17 rules"), seventeen.refusal().message());
        assertTrue(seventeen.refusal().message().contains("16 rules per route"));

        ObjectNode wide = json(ROUTE);
        ArrayNode matches = ((ObjectNode) wide.at("/spec/rules/1")).withArray("matches");
        for (int i = 0; i < 31; i++) {
            matches.add(json("{\"path\": {\"type\": \"Exact\", \"value\": \"/w" + i + "\"}}"));
        }
        Outcome<ObjectNode> perRule = HttpRouteRules.withSplit(wide, "api", "api", split(3), TESTERS);
        assertTrue(perRule.refusal().message().contains("64 matches per rule"), perRule.refusal().message());

        ObjectNode total = json(ROUTE);
        for (int r = 1; r <= 2; r++) {
            ArrayNode m = ((ObjectNode) total.at("/spec/rules/" + r)).withArray("matches");
            while (m.size() < 30) {
                m.add(json("{\"path\": {\"type\": \"Exact\", \"value\": \"/t" + m.size() + "\"}}"));
            }
        }
        Outcome<ObjectNode> perRoute = HttpRouteRules.withSplit(total, "api", "api", split(3), TESTERS);
        assertTrue(perRoute.refusal().message().contains("128 matches per route"), perRoute.refusal().message());
        assertEquals(perRoute.refusal(), HttpRouteRules.testerLimits(total, "api", "api", TESTERS).orElseThrow());
        assertTrue(HttpRouteRules.testerLimits(total, "api", "api", Testers.NONE).isEmpty());
    }
}
