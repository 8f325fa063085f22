package dev.serin.traffic.istio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.traffic.Split;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualServiceRoutesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static ObjectNode vs(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private static final String USER_VS = """
            {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
             "metadata": {"name": "api", "namespace": "web", "labels": {"team": "a"}},
             "spec": {
               "hosts": ["api.example.com", "api"],
               "gateways": ["public", "mesh"],
               "http": [
                 {"name": "admin", "match": [{"uri": {"prefix": "/admin"}}], "route": [{"destination": {"host": "admin"}}]},
                 {"name": "main", "retries": {"attempts": 3}, "timeout": "10s", "corsPolicy": {"allowOrigins": [{"exact": "*"}]},
                  "route": [{"destination": {"host": "api.web.svc.cluster.local", "port": {"number": 80}},
                             "headers": {"response": {"add": {"x-served-by": "api"}}}}]}
               ],
               "tcp": [{"match": [{"port": 9000}], "route": [{"destination": {"host": "api.web", "port": {"number": 9000}}}]}],
               "tls": [{"match": [{"port": 443, "sniHosts": ["api.example.com"]}], "route": [{"destination": {"host": "other"}}]}]
             }}""";

    @Test
    void splitsEveryRouteToTheHostInAnyOfItsNamesAndNothingElse() throws Exception {
        ObjectNode before = vs(USER_VS);
        ObjectNode after = VirtualServiceRoutes.withSplit(before, "api", "api", new Split(97, 3)).orElseThrow();

        JsonNode main = after.at("/spec/http/1/route");
        assertEquals(2, main.size());
        assertEquals("stable", main.at("/0/destination/subset").asText());
        assertEquals(97, main.at("/0/weight").asInt());
        assertEquals("canary", main.at("/1/destination/subset").asText());
        assertEquals(3, main.at("/1/weight").asInt());
        // port, host spelling and per-destination headers are kept on both destinations
        assertEquals(80, main.at("/1/destination/port/number").asInt());
        assertEquals("api.web.svc.cluster.local", main.at("/1/destination/host").asText());
        assertEquals("api", main.at("/1/headers/response/add/x-served-by").asText());
        assertEquals("canary", after.at("/spec/tcp/0/route/1/destination/subset").asText());

        // everything but the route arrays is byte-for-byte what it was
        ObjectNode expected = before.deepCopy();
        ((ObjectNode) expected.at("/spec/http/1")).set("route", main);
        ((ObjectNode) expected.at("/spec/tcp/0")).set("route", after.at("/spec/tcp/0/route"));
        ObjectNode actual = after.deepCopy();
        ((ObjectNode) actual.get("metadata")).remove("annotations");
        assertEquals(expected, actual);
    }

    @Test
    void observesTheSplitItWrote() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(399, 1)).orElseThrow();
        var seen = VirtualServiceRoutes.observe(split, "api", "api");
        assertEquals(2, seen.routes());
        assertEquals(2, seen.splitRoutes());
        assertEquals(List.of(new Split(399, 1), new Split(399, 1)), seen.splits());
        assertEquals(0, VirtualServiceRoutes.observe(vs(USER_VS), "api", "api").splitRoutes());
    }

    @Test
    void weightZeroAndHundredLeaveOneDestinationWithoutWeight() throws Exception {
        ObjectNode zero = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(1, 0)).orElseThrow();
        assertEquals(1, zero.at("/spec/http/1/route").size());
        assertEquals("stable", zero.at("/spec/http/1/route/0/destination/subset").asText());
        assertTrue(zero.at("/spec/http/1/route/0/weight").isMissingNode());
        ObjectNode all = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(0, 1)).orElseThrow();
        assertEquals("canary", all.at("/spec/http/1/route/0/destination/subset").asText());
    }

    @Test
    void restoringGivesBackExactlyWhatWasThere() throws Exception {
        ObjectNode before = vs(USER_VS);
        ObjectNode split = VirtualServiceRoutes.withSplit(before, "api", "api", new Split(97, 3)).orElseThrow();
        ObjectNode resplit = VirtualServiceRoutes.withSplit(split, "api", "api", new Split(7, 1)).orElseThrow();
        assertEquals(before, VirtualServiceRoutes.restored(resplit, "api", "api"));
    }

    @Test
    void aRouteRewrittenByGitOpsIsRecordedAgainAndRestoredToThatVersion() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(97, 3)).orElseThrow();
        ObjectNode synced = split.deepCopy();
        ((ObjectNode) synced.at("/spec/http/1")).set("route",
                JSON.readTree("[{\"destination\": {\"host\": \"api\", \"port\": {\"number\": 8080}}}]"));
        ObjectNode again = VirtualServiceRoutes.withSplit(synced, "api", "api", new Split(97, 3)).orElseThrow();
        ObjectNode restored = VirtualServiceRoutes.restored(again, "api", "api");
        assertEquals(8080, restored.at("/spec/http/1/route/0/destination/port/number").asInt());
        assertTrue(restored.at("/spec/http/1/route/0/destination/subset").isMissingNode());
    }

    @Test
    void withTheBookkeepingLostARestoreStillNamesNoSubset() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(97, 3)).orElseThrow();
        ((ObjectNode) split.get("metadata")).remove("annotations");
        ObjectNode restored = VirtualServiceRoutes.restored(split, "api", "api");
        assertEquals(1, restored.at("/spec/http/1/route").size());
        assertTrue(restored.at("/spec/http/1/route/0/destination/subset").isMissingNode());
        assertEquals(80, restored.at("/spec/http/1/route/0/destination/port/number").asInt());
    }

    @Test
    void twoCanariesOnOneVirtualServiceKeepTheirOwnOriginals() throws Exception {
        String two = """
                {"metadata": {"name": "edge", "namespace": "web"},
                 "spec": {"http": [
                   {"match": [{"uri": {"prefix": "/a"}}], "route": [{"destination": {"host": "a"}}]},
                   {"route": [{"destination": {"host": "b"}}]}]}}""";
        ObjectNode before = vs(two);
        ObjectNode both = VirtualServiceRoutes.withSplit(
                VirtualServiceRoutes.withSplit(before, "a", "a", new Split(9, 1)).orElseThrow(), "b", "b", new Split(3, 1)).orElseThrow();
        ObjectNode aGone = VirtualServiceRoutes.restored(both, "a", "a");
        assertEquals("canary", aGone.at("/spec/http/1/route/1/destination/subset").asText());
        assertTrue(aGone.at("/spec/http/0/route/0/destination/subset").isMissingNode());
        assertEquals(before, VirtualServiceRoutes.restored(aGone, "b", "b"));
    }

    @Test
    void aSplitRecordsWhichCanariesSplitWhichHostSoAStopNeedsNoCanary() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(97, 3)).orElseThrow();
        assertEquals(java.util.Set.of("api"), VirtualServiceRoutes.canaries(split));
        assertEquals("api", VirtualServiceRoutes.splitHost(split, "api"));
        assertEquals(null, VirtualServiceRoutes.splitHost(split, "other"));

        ObjectNode restored = VirtualServiceRoutes.restored(split, "api", "api");
        assertEquals(java.util.Set.of(), VirtualServiceRoutes.canaries(restored));
        assertEquals(vs(USER_VS), restored);
    }

    @Test
    void withoutTheRecordedHostAnOlderSerinsSplitTellsItByTheRoutesItSplit() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(97, 3)).orElseThrow();
        ((ObjectNode) split.at("/metadata/annotations")).remove(VirtualServiceRoutes.CANARY_HOSTS);
        assertEquals("api.web.svc.cluster.local", VirtualServiceRoutes.splitHost(split, "api"));
        assertEquals(vs(USER_VS), VirtualServiceRoutes.restored(split, "api", VirtualServiceRoutes.splitHost(split, "api")));
    }

    @Test
    void hostNamesAreComparedAsIstioResolvesThem() {
        assertTrue(HostName.same("api", "api.web.svc.cluster.local", "web"));
        assertTrue(HostName.same("api.web", "api", "web"));
        assertTrue(HostName.same("api.web.svc", "api", "web"));
        assertFalse(HostName.same("api", "api.other", "web"));
        assertNotEquals(HostName.qualify("api", "web"), HostName.qualify("api", "other"));
    }

    static ArrayNode http(JsonNode vs) {
        return (ArrayNode) vs.at("/spec/http");
    }

    static List<String> ports(JsonNode route) {
        List<String> seen = new java.util.ArrayList<>();
        route.path("route").forEach(d -> seen.add(d.path("destination").path("subset").asText("-") + ":"
                + d.at("/destination/port/number").asText("-")));
        return seen;
    }

    /** Two routes to the host with destinations of their own, and a route to another host. */
    private static final String TWO_ROUTES = """
            {"metadata": {"name": "app", "namespace": "web"},
             "spec": {"hosts": ["app"], "http": [
               {%s"match": [{"uri": {"prefix": "/grpc"}}], "route": [{"destination": {"host": "app", "port": {"number": 9090}}}]},
               {%s"route": [{"destination": {"host": "app", "port": {"number": 80}}}]}]}}""";

    static ObjectNode twoRoutes(boolean named) throws Exception {
        return vs(TWO_ROUTES.formatted(named ? "\"name\": \"grpc\", " : "", named ? "\"name\": \"main\", " : ""));
    }

    @Test
    void routesThatMovedKeepTheirOwnOriginalsByNameOrByContent() throws Exception {
        for (boolean named : new boolean[] {true, false}) {
            ObjectNode before = twoRoutes(named);
            ObjectNode split = VirtualServiceRoutes.withSplit(before, "app", "app", new Split(9, 1)).orElseThrow();
            // someone puts a route to another host first, and swaps the two split ones
            ObjectNode moved = split.deepCopy();
            JsonNode grpc = http(moved).remove(0);
            http(moved).add(grpc);
            http(moved).insert(0, JSON.readTree("{\"route\": [{\"destination\": {\"host\": \"docs\"}}]}"));
            var seen = VirtualServiceRoutes.observe(moved, "app", "app");
            assertEquals(List.of(), seen.unmatched(), named ? "named" : "unnamed");
            ObjectNode resplit = VirtualServiceRoutes.withSplit(moved, "app", "app", new Split(4, 1)).orElseThrow();
            assertEquals(List.of("stable:80", "canary:80"), ports(resplit.at("/spec/http/1")));
            assertEquals(List.of("stable:9090", "canary:9090"), ports(resplit.at("/spec/http/2")));

            ObjectNode expected = before.deepCopy();
            JsonNode original = http(expected).remove(0);
            http(expected).add(original);
            http(expected).insert(0, JSON.readTree("{\"route\": [{\"destination\": {\"host\": \"docs\"}}]}"));
            assertEquals(expected, VirtualServiceRoutes.restored(resplit, "app", "app"));
        }
    }

    @Test
    void theRecordsAreKeptByRouteNameAndForUnnamedRoutesWithTheirMatch() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(9, 1)).orElseThrow();
        JsonNode entry = JSON.readTree(split.at("/metadata/annotations").path(VirtualServiceRoutes.ORIGINAL_ROUTES)
                .asText()).path("api");
        assertEquals(List.of("http/main", "tcp[0]"), names(entry.fieldNames()));
        assertEquals(vs(USER_VS).at("/spec/http/1/route"), entry.at("/http~1main/destinations"));
        assertEquals(vs(USER_VS).at("/spec/tcp/0/match"), entry.at("/tcp[0]/match"));
    }

    static List<String> names(java.util.Iterator<String> it) {
        List<String> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }

    @Test
    void anOlderSerinsRecordsByPositionAreStillRestoredAndRewrittenByName() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(97, 3)).orElseThrow();
        ObjectNode older = split.deepCopy();
        ObjectNode legacy = JSON.createObjectNode();
        legacy.with("api").set("http/1", vs(USER_VS).at("/spec/http/1/route"));
        legacy.with("api").set("tcp/0", vs(USER_VS).at("/spec/tcp/0/route"));
        ((ObjectNode) older.at("/metadata/annotations")).put(VirtualServiceRoutes.ORIGINAL_ROUTES, legacy.toString());
        assertEquals(vs(USER_VS), VirtualServiceRoutes.restored(older, "api", "api"));
        assertEquals(List.of(), VirtualServiceRoutes.observe(older, "api", "api").unmatched());
        // the next write records them the new way
        assertEquals(VirtualServiceRoutes.withSplit(split, "api", "api", new Split(7, 1)).orElseThrow(),
                VirtualServiceRoutes.withSplit(older, "api", "api", new Split(7, 1)).orElseThrow());
    }

    @Test
    void aSplitRouteNoRecordFitsIsLeftAloneReportedAndOnlyEverWithdrawn() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(9, 1)).orElseThrow();
        ObjectNode copied = split.deepCopy(); // a copy of the split main route, under another name and match
        ObjectNode copy = ((ObjectNode) split.at("/spec/http/1")).deepCopy().put("name", "copy");
        copy.set("match", JSON.readTree("[{\"uri\": {\"prefix\": \"/copy\"}}]"));
        http(copied).insert(0, copy);
        var seen = VirtualServiceRoutes.observe(copied, "api", "api");
        assertEquals(List.of("http route \"copy\" in VirtualService api"), seen.unmatched());
        assertEquals(List.of(new Split(9, 1), new Split(9, 1)), seen.splits(), "main and the TCP route");
        assertEquals(List.of(new Split(9, 1)), seen.unmatchedSplits());

        ObjectNode resplit = VirtualServiceRoutes.withSplit(copied, "api", "api", new Split(4, 1)).orElseThrow();
        assertEquals(copy, resplit.at("/spec/http/0"), "left alone");
        assertEquals(4, resplit.at("/spec/http/2/route/0/weight").asInt());
        ObjectNode withdrawn = VirtualServiceRoutes.withSplit(resplit, "api", "api", Split.STABLE_ONLY).orElseThrow();
        assertEquals(List.of("stable:80"), ports(withdrawn.at("/spec/http/0")), "the canary taken out of it");
        ObjectNode restored = VirtualServiceRoutes.restored(withdrawn, "api", "api");
        assertEquals(List.of("-:80"), ports(restored.at("/spec/http/0")), "the host without a subset");
        assertEquals(vs(USER_VS).at("/spec/http/1"), restored.at("/spec/http/2"));
    }

    @Test
    void aRouteGivenAnotherRoutesDestinationsFitsNeitherRecord() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(twoRoutes(false), "app", "app", new Split(9, 1)).orElseThrow();
        ObjectNode swapped = split.deepCopy(); // the matches stay, the destinations trade places
        JsonNode first = http(swapped).get(0).get("route");
        ((ObjectNode) http(swapped).get(0)).set("route", http(swapped).get(1).get("route"));
        ((ObjectNode) http(swapped).get(1)).set("route", first);
        assertEquals(2, VirtualServiceRoutes.observe(swapped, "app", "app").unmatched().size());
        assertEquals(swapped.get("spec"), VirtualServiceRoutes.withSplit(swapped, "app", "app", new Split(4, 1))
                .orElseThrow().get("spec"), "neither is written");
    }
}
