package dev.serin.traffic.istio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        ObjectNode after = VirtualServiceRoutes.withSplit(before, "api", "api", new Split(97, 3));

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
        ObjectNode split = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(399, 1));
        var seen = VirtualServiceRoutes.observe(split, "api");
        assertEquals(2, seen.routes());
        assertEquals(2, seen.splitRoutes());
        assertEquals(List.of(new Split(399, 1), new Split(399, 1)), seen.splits());
        assertEquals(0, VirtualServiceRoutes.observe(vs(USER_VS), "api").splitRoutes());
    }

    @Test
    void weightZeroAndHundredLeaveOneDestinationWithoutWeight() throws Exception {
        ObjectNode zero = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(1, 0));
        assertEquals(1, zero.at("/spec/http/1/route").size());
        assertEquals("stable", zero.at("/spec/http/1/route/0/destination/subset").asText());
        assertTrue(zero.at("/spec/http/1/route/0/weight").isMissingNode());
        ObjectNode all = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(0, 1));
        assertEquals("canary", all.at("/spec/http/1/route/0/destination/subset").asText());
    }

    @Test
    void restoringGivesBackExactlyWhatWasThere() throws Exception {
        ObjectNode before = vs(USER_VS);
        ObjectNode split = VirtualServiceRoutes.withSplit(before, "api", "api", new Split(97, 3));
        ObjectNode resplit = VirtualServiceRoutes.withSplit(split, "api", "api", new Split(7, 1));
        assertEquals(before, VirtualServiceRoutes.restored(resplit, "api", "api"));
    }

    @Test
    void aRouteRewrittenByGitOpsIsRecordedAgainAndRestoredToThatVersion() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(97, 3));
        ObjectNode synced = split.deepCopy();
        ((ObjectNode) synced.at("/spec/http/1")).set("route",
                JSON.readTree("[{\"destination\": {\"host\": \"api\", \"port\": {\"number\": 8080}}}]"));
        ObjectNode again = VirtualServiceRoutes.withSplit(synced, "api", "api", new Split(97, 3));
        ObjectNode restored = VirtualServiceRoutes.restored(again, "api", "api");
        assertEquals(8080, restored.at("/spec/http/1/route/0/destination/port/number").asInt());
        assertTrue(restored.at("/spec/http/1/route/0/destination/subset").isMissingNode());
    }

    @Test
    void withTheBookkeepingLostARestoreStillNamesNoSubset() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(97, 3));
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
                VirtualServiceRoutes.withSplit(before, "a", "a", new Split(9, 1)), "b", "b", new Split(3, 1));
        ObjectNode aGone = VirtualServiceRoutes.restored(both, "a", "a");
        assertEquals("canary", aGone.at("/spec/http/1/route/1/destination/subset").asText());
        assertTrue(aGone.at("/spec/http/0/route/0/destination/subset").isMissingNode());
        assertEquals(before, VirtualServiceRoutes.restored(aGone, "b", "b"));
    }

    @Test
    void aSplitRecordsWhichCanariesSplitWhichHostSoAStopNeedsNoCanary() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(97, 3));
        assertEquals(java.util.Set.of("api"), VirtualServiceRoutes.canaries(split));
        assertEquals("api", VirtualServiceRoutes.splitHost(split, "api"));
        assertEquals(null, VirtualServiceRoutes.splitHost(split, "other"));

        ObjectNode restored = VirtualServiceRoutes.restored(split, "api", "api");
        assertEquals(java.util.Set.of(), VirtualServiceRoutes.canaries(restored));
        assertEquals(vs(USER_VS), restored);
    }

    @Test
    void withoutTheRecordedHostAnOlderSerinsSplitTellsItByTheRoutesItSplit() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(vs(USER_VS), "api", "api", new Split(97, 3));
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
}
