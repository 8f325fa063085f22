package dev.serin.traffic.istio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.traffic.Split;
import dev.serin.traffic.Testers;
import dev.serin.traffic.Testers.Match;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Tester routes and the sticky cookie, as Serin writes them into a VirtualService beside the split. */
class TesterRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Testers TESTERS = new Testers(List.of(Match.header("x-canary", "always", false),
            Match.cookie("canary", "1")), null);
    private static final Testers STICKY = new Testers(TESTERS.matches(),
            new Testers.Sticky("serin-canary", "v2", 3600));

    private static final String USER_VS = """
            {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
             "metadata": {"name": "api", "namespace": "web"},
             "spec": {
               "hosts": ["api"],
               "http": [
                 {"name": "admin", "match": [{"uri": {"prefix": "/admin"}}], "route": [{"destination": {"host": "admin"}}]},
                 {"match": [{"uri": {"prefix": "/api"}}, {"uri": {"prefix": "/v2"}, "headers": {"x-canary": {"exact": "no"}}}],
                  "retries": {"attempts": 3}, "timeout": "10s",
                  "route": [{"destination": {"host": "api", "port": {"number": 8080}}}]},
                 {"name": "main", "headers": {"request": {"set": {"x-env": "prod"}}},
                  "route": [{"destination": {"host": "api.web.svc.cluster.local", "port": {"number": 80}},
                             "headers": {"response": {"add": {"x-served-by": "api"}}}}]}
               ]
             }}""";

    static ObjectNode vs() throws Exception {
        return (ObjectNode) JSON.readTree(USER_VS);
    }

    static ObjectNode written(JsonNode vs, Split split, Testers testers) {
        return VirtualServiceRoutes.withSplit(vs, "api", "api", split, testers).orElseThrow();
    }

    @Test
    void aTesterRouteRightBeforeEachSplitRouteWithItsMatchesCombinedAndItsOtherFieldsCopied() throws Exception {
        ObjectNode after = written(vs(), new Split(97, 3), TESTERS);
        JsonNode http = after.at("/spec/http");
        assertEquals(List.of("admin", "serin-testers-1", "", "serin-testers-main", "main"),
                names(http), "the unnamed route is known by its index in the user's own list");

        // uri prefix /api × each tester; the /v2 match already asks x-canary: no, so only the cookie joins it
        JsonNode api = http.get(1);
        assertEquals(JSON.readTree("""
                [{"uri": {"prefix": "/api"}, "headers": {"x-canary": {"exact": "always"}}},
                 {"uri": {"prefix": "/api"}, "headers": {"cookie": {"regex": "%s"}}},
                 {"uri": {"prefix": "/v2"}, "headers": {"x-canary": {"exact": "no"}, "cookie": {"regex": "%s"}}}]"""
                .formatted(json(Testers.cookieRegex("canary", "1")), json(Testers.cookieRegex("canary", "1")))),
                api.get("match"));
        assertEquals(JSON.readTree("[{\"destination\": {\"host\": \"api\", \"port\": {\"number\": 8080}, \"subset\": \"canary\"}}]"),
                api.get("route"));
        assertEquals(3, api.at("/retries/attempts").asInt());
        assertEquals("10s", api.get("timeout").asText());

        // no match on the route: the tester matches alone
        JsonNode main = http.get(3);
        assertEquals(2, main.get("match").size());
        assertEquals("always", main.at("/match/0/headers/x-canary/exact").asText());
        assertEquals("prod", main.at("/headers/request/set/x-env").asText());
        assertEquals("api", main.at("/route/0/headers/response/add/x-served-by").asText());
        assertEquals("canary", main.at("/route/0/destination/subset").asText());
        assertFalse(main.at("/route/0").has("weight"));

        // the split routes themselves are what a split without testers writes
        ObjectNode plain = written(vs(), new Split(97, 3), Testers.NONE);
        assertEquals(plain.at("/spec/http/1"), http.get(2));
        assertEquals(plain.at("/spec/http/2"), http.get(4));
    }

    @Test
    void testerRoutesAreLeftOutOfTheReadBackAndTheSplit() throws Exception {
        for (Split split : List.of(Split.STABLE_ONLY, new Split(97, 3), new Split(1, 1))) {
            ObjectNode after = written(vs(), split, TESTERS);
            VirtualServiceRoutes.Observation seen = VirtualServiceRoutes.observe(after, "api", "api");
            assertEquals(2, seen.routes(), "tester routes are no routes of the split");
            assertEquals(List.of(split.reduced(), split.reduced()), seen.splits());
            assertEquals(List.of(), seen.unmatched());
            assertEquals(2, seen.testerRoutes());
            assertTrue(VirtualServiceRoutes.carries(after, "api", "api", split, TESTERS));
            assertFalse(VirtualServiceRoutes.carries(after, "api", "api", split, Testers.NONE));
        }
    }

    @Test
    void aWeightChangeLeavesTheTesterRoutesAsTheyAre() throws Exception {
        ObjectNode at3 = written(vs(), new Split(97, 3), TESTERS);
        ObjectNode at50 = written(at3, new Split(1, 1), TESTERS);
        ObjectNode at0 = written(at50, Split.STABLE_ONLY, TESTERS);
        for (int i : List.of(1, 3)) {
            assertEquals(at3.at("/spec/http/" + i), at50.at("/spec/http/" + i));
            assertEquals(at3.at("/spec/http/" + i), at0.at("/spec/http/" + i));
        }
        assertEquals(at3, written(at3, new Split(97, 3), TESTERS), "rewriting what is there changes nothing");
    }

    @Test
    void stopRestoresEveryRouteByteForByteTheTesterRoutesGone() throws Exception {
        ObjectNode after = written(written(vs(), new Split(97, 3), STICKY), new Split(1, 1), STICKY);
        assertEquals(vs(), VirtualServiceRoutes.restored(after, "api", "api"));
        ObjectNode withdrawn = written(after, Split.STABLE_ONLY, Testers.NONE);
        assertEquals(0, VirtualServiceRoutes.observe(withdrawn, "api", "api").testerRoutes());
        assertEquals(vs(), VirtualServiceRoutes.restored(withdrawn, "api", "api"));
    }

    @Test
    void stickyCookieIsSetOnCanaryResponsesAndMatchedWhileTheWeightIsAboveZero() throws Exception {
        ObjectNode at3 = written(vs(), new Split(97, 3), STICKY);
        JsonNode main = at3.at("/spec/http/4/route");
        assertEquals("serin-canary=v2; Max-Age=3600; Path=/", main.at("/1/headers/response/add/set-cookie").asText());
        assertEquals("api", main.at("/1/headers/response/add/x-served-by").asText(), "the user's headers are kept");
        assertFalse(main.at("/0/headers/response/add").has("set-cookie"), "stable responses set no cookie");
        JsonNode testers = at3.at("/spec/http/3");
        assertEquals(3, testers.get("match").size());
        assertEquals(Testers.cookieRegex("serin-canary", "v2"), testers.at("/match/2/headers/cookie/regex").asText());
        assertFalse(testers.at("/route/0/headers/response/add").has("set-cookie"));
        // an unnamed route carrying the cookie is still known by its content
        assertEquals(List.of(), VirtualServiceRoutes.observe(at3, "api", "api").unmatched());
        assertTrue(VirtualServiceRoutes.carries(at3, "api", "api", new Split(97, 3), STICKY));

        // weight 0: no user on the canary; the sticky match goes in the same write, the testers stay
        ObjectNode at0 = written(at3, Split.STABLE_ONLY, STICKY);
        assertEquals(2, at0.at("/spec/http/3/match").size());
        assertFalse(at0.toString().contains("serin-canary"));
    }

    @Test
    void stickyAloneMakesATesterRouteOnlyAboveZero() throws Exception {
        Testers sticky = new Testers(List.of(), new Testers.Sticky("serin-canary", "v2", 60));
        assertEquals(List.of("admin", "", "main"), names(written(vs(), Split.STABLE_ONLY, sticky).at("/spec/http")));
        assertEquals(List.of("admin", "serin-testers-1", "", "serin-testers-main", "main"),
                names(written(vs(), new Split(9, 1), sticky).at("/spec/http")));
    }

    @Test
    void theCookieRegexFindsNameEqualsValueAmongTheCookies() {
        Pattern p = Pattern.compile(Testers.cookieRegex("canary", "1"));
        for (String yes : List.of("canary=1", "a=b; canary=1", "canary=1; a=b", "a=b;canary=1;c=d")) {
            assertTrue(p.matcher(yes).matches(), yes);
        }
        for (String no : List.of("canary=12", "xcanary=1", "canary=2", "a=canary=1", "canary", "")) {
            assertFalse(p.matcher(no).matches(), no);
        }
        Pattern dotted = Pattern.compile(Testers.cookieRegex("a.b", "x+y"));
        assertTrue(dotted.matcher("a.b=x+y").matches());
        assertFalse(dotted.matcher("aXb=xxy").matches(), "punctuation is literal");
    }

    private static List<String> names(JsonNode http) {
        List<String> names = new java.util.ArrayList<>();
        http.forEach(r -> names.add(r.path("name").asText("")));
        return names;
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\");
    }
}
