package dev.serin.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.serin.traffic.RouteRecords.Route;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which recorded original is whose, without any mesh: destinations here are plain strings that fit when equal. */
class RouteRecordsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final RouteRecords.Fit EQUAL = (original, destinations) -> original.equals(destinations);

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Route route(int index, String name, String match, String destinations, boolean split) {
        return new Route("http", index, name, match == null ? MissingNode.getInstance() : json(match),
                json(destinations), split);
    }

    @Test
    void aNameTwoRoutesShareIsNoNameTheyAreKnownByContent() {
        List<Route> routes = RouteRecords.withDistinctNames(List.of(route(0, "a", null, "[1]", false),
                route(1, "a", null, "[2]", false), route(2, "b", null, "[3]", false)));
        assertEquals(List.of("http[0]", "http[1]", "http/b"), routes.stream().map(Route::key).toList());
    }

    @Test
    void recordsAreWrittenAndReadBackWithTheirMatch() {
        Route named = route(4, "main", null, "[\"main\"]", false);
        Route unnamed = route(2, null, "[{\"port\": 80}]", "[\"tcp\"]", false);
        JsonNode entry = RouteRecords.write(Map.of(named, named.destinations(), unnamed, unnamed.destinations()), List.of());
        assertEquals(json("""
                {"http/main": {"destinations": ["main"]},
                 "http[2]": {"destinations": ["tcp"], "match": [{"port": 80}]}}"""), entry);
        List<RouteRecords.Original> read = RouteRecords.read(entry);
        assertEquals(2, read.size());
        RouteRecords.Matching m = RouteRecords.match(List.of(route(0, "main", null, "[\"main\"]", true),
                route(7, null, "[{\"port\": 80.0}]", "[\"tcp\"]", true)), read, EQUAL);
        assertEquals(List.of(), m.unmatched(), "a match read back with 80.0 is the one recorded with 80");
    }

    @Test
    void equalFitsWithDifferentOriginalsAreNotGuessedUnlessOneWasRecordedAtTheRoutesPlace() {
        RouteRecords.Fit any = (original, destinations) -> true;
        List<RouteRecords.Original> two = RouteRecords.read(json("""
                {"http[0]": {"destinations": ["a"]}, "http[1]": {"destinations": ["b"]}}"""));
        RouteRecords.Matching here = RouteRecords.match(List.of(route(1, null, null, "[\"x\"]", true)), two, any);
        assertEquals(json("[\"b\"]"), here.originals().values().iterator().next());
        assertEquals(1, here.unclaimed().size(), "the other record is kept");

        RouteRecords.Matching elsewhere = RouteRecords.match(List.of(route(5, null, null, "[\"x\"]", true)), two, any);
        assertEquals(1, elsewhere.unmatched().size());
        assertNull(elsewhere.originals().get(route(5, null, null, "[\"x\"]", true)));
    }

    @Test
    void eachOriginalGoesToOneRouteAtMost() {
        List<RouteRecords.Original> one = RouteRecords.read(json("{\"http/main\": {\"destinations\": [\"m\"]}}"));
        RouteRecords.Matching m = RouteRecords.match(List.of(route(0, "main", null, "[\"m\"]", true),
                route(1, "copy", null, "[\"m\"]", true)), one, EQUAL);
        assertEquals(1, m.originals().size());
        assertEquals("copy", m.unmatched().get(0).name());
    }
}
