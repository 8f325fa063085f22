package dev.serin.traffic.istio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.traffic.Refusal;
import dev.serin.traffic.Split;
import dev.serin.traffic.Weight;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routes that send to other hosts too (Argo Rollouts' and Flagger's "additional destinations"). */
class ThirdDestinationsTest {
    private static final String EIGHTY_TWENTY = """
            {"metadata": {"name": "app", "namespace": "web"},
             "spec": {"hosts": ["app"], "http": [{"name": "main", "route": [
               {"destination": {"host": "app", "port": {"number": 80}}, "weight": 80},
               {"destination": {"host": "legacy-app"}, "weight": 20}]}]}}""";

    static List<String> route(JsonNode vs, String pointer) {
        List<String> seen = new ArrayList<>();
        for (JsonNode d : vs.at(pointer)) {
            JsonNode dest = d.path("destination");
            seen.add(dest.path("host").asText() + dest.path("subset").asText("").replaceAll("^(.)", "/$1") + "="
                    + d.path("weight").asText("-"));
        }
        return seen;
    }

    @Test
    void onlyTheHostsShareIsSplitAndTheOtherDestinationKeepsItsWeight() throws Exception {
        ObjectNode before = VirtualServiceRoutesTest.vs(EIGHTY_TWENTY);
        ObjectNode ten = VirtualServiceRoutes.withSplit(before, "app", "app", Split.relative(new Weight(1000))).orElseThrow();
        assertEquals(List.of("app/stable=72", "app/canary=8", "legacy-app=20"), route(ten, "/spec/http/0/route"));
        assertEquals(80, ten.at("/spec/http/0/route/1/destination/port/number").asInt());
        assertEquals(List.of(new Split(72, 8)), VirtualServiceRoutes.observe(ten, "app", "app").splits());
        assertTrue(VirtualServiceRoutes.carries(ten, "app", "app", Split.relative(new Weight(1000))));
        assertTrue(VirtualServiceRoutes.carries(ten, "app", "app", Split.percent(new Weight(1000)).orElseThrow()));
        assertFalse(VirtualServiceRoutes.carries(ten, "app", "app", Split.relative(new Weight(300))));
        assertEquals(before, VirtualServiceRoutes.restored(ten, "app", "app"));
    }

    @Test
    void aShareThatDoesNotDivideScalesEveryWeightByTheSmallestFactorThatKeepsItExact() throws Exception {
        ObjectNode before = VirtualServiceRoutesTest.vs(EIGHTY_TWENTY);
        ObjectNode three = VirtualServiceRoutes.withSplit(before, "app", "app", Split.relative(new Weight(300))).orElseThrow();
        // 80 × 3 % = 2.4: ×5 gives stable 388, canary 12 (3 % of 400), legacy 100 (still a fifth of the route)
        assertEquals(List.of("app/stable=388", "app/canary=12", "legacy-app=100"), route(three, "/spec/http/0/route"));
        // from 3 % back to 10 %: computed from the original route, not from the scaled one
        ObjectNode ten = VirtualServiceRoutes.withSplit(three, "app", "app", Split.relative(new Weight(1000))).orElseThrow();
        assertEquals(List.of("app/stable=72", "app/canary=8", "legacy-app=20"), route(ten, "/spec/http/0/route"));
        ObjectNode zero = VirtualServiceRoutes.withSplit(ten, "app", "app", Split.relative(Weight.ZERO)).orElseThrow();
        assertEquals(List.of("app/stable=80", "legacy-app=20"), route(zero, "/spec/http/0/route"));
        ObjectNode all = VirtualServiceRoutes.withSplit(zero, "app", "app", Split.relative(Weight.ALL)).orElseThrow();
        assertEquals(List.of("app/canary=80", "legacy-app=20"), route(all, "/spec/http/0/route"));
        assertEquals(new Split(0, 1), VirtualServiceRoutes.observe(all, "app", "app").splits().get(0));
        assertEquals(before, VirtualServiceRoutes.restored(all, "app", "app"));
    }

    @Test
    void everyWeightStaysExactForEveryHostShare() throws Exception {
        for (int host : new int[] {1, 7, 33, 80, 99}) {
            ObjectNode vs = VirtualServiceRoutesTest.vs(EIGHTY_TWENTY);
            ((ObjectNode) vs.at("/spec/http/0/route/0")).put("weight", host);
            for (int bp = 0; bp <= Weight.FULL; bp += 37) {
                Split wanted = Split.relative(new Weight(bp));
                ObjectNode split = VirtualServiceRoutes.withSplit(vs, "app", "app", wanted).orElseThrow();
                JsonNode r = split.at("/spec/http/0/route");
                long stable = 0;
                long canary = 0;
                long other = 0;
                for (JsonNode d : r) {
                    String subset = d.path("destination").path("subset").asText("");
                    long w = d.path("weight").asLong();
                    if (subset.equals("stable")) {
                        stable = w;
                    } else if (subset.equals("canary")) {
                        canary = w;
                    } else {
                        other = w;
                    }
                }
                assertEquals(bp * (stable + canary), (long) Weight.FULL * canary, host + " at " + bp);
                assertEquals(20 * (stable + canary), (long) host * other, host + " at " + bp);
                assertEquals(new Weight(bp), VirtualServiceRoutes.observe(split, "app", "app").splits().get(0).share());
            }
        }
    }

    @Test
    void severalDestinationsOfTheHostBecomeOneShareAndComeBackOnStop() throws Exception {
        ObjectNode before = VirtualServiceRoutesTest.vs("""
                {"metadata": {"name": "app", "namespace": "web"},
                 "spec": {"hosts": ["app"], "http": [{"route": [
                   {"destination": {"host": "app", "subset": "v1"}, "weight": 60},
                   {"destination": {"host": "legacy-app"}, "weight": 20},
                   {"destination": {"host": "app.web.svc.cluster.local", "subset": "v2"}, "weight": 20}]}]}}""");
        ObjectNode split = VirtualServiceRoutes.withSplit(before, "app", "app", Split.relative(new Weight(2500))).orElseThrow();
        assertEquals(List.of("app/stable=60", "app/canary=20", "legacy-app=20"), route(split, "/spec/http/0/route"));
        assertEquals(List.of("v1", "v2"), VirtualServiceRoutes.userSubsets(split, "app", "app"));
        assertEquals(before, VirtualServiceRoutes.restored(split, "app", "app"));
    }

    @Test
    void withTheBookkeepingLostARestoreKeepsTheOtherDestinations() throws Exception {
        ObjectNode split = VirtualServiceRoutes.withSplit(VirtualServiceRoutesTest.vs(EIGHTY_TWENTY), "app", "app",
                Split.relative(new Weight(1000))).orElseThrow();
        ((ObjectNode) split.get("metadata")).remove("annotations");
        assertEquals(List.of("app=80", "legacy-app=20"),
                route(VirtualServiceRoutes.restored(split, "app", "app"), "/spec/http/0/route"));
    }

    @Test
    void weightsThatWouldPassInt32AreRefusedAsAValueNamingTheRoute() throws Exception {
        ObjectNode big = VirtualServiceRoutesTest.vs(EIGHTY_TWENTY);
        ((ObjectNode) big.at("/spec/http/0/route/0")).put("weight", 30_000_001);
        ((ObjectNode) big.at("/spec/http/0/route/1")).put("weight", 1);
        var three = VirtualServiceRoutes.withSplit(big, "app", "app", Split.relative(new Weight(300)));
        assertTrue(three.refused());
        assertEquals(Refusal.ROUTE_WEIGHTS_OVERFLOW, three.refusal().reason());
        assertEquals("http route \"main\" in VirtualService app: an exact 3 % of the host's share 30000001 beside the "
                + "route's other destinations needs every weight × 100, and 2910000097 passes Istio's weight limit "
                + "2147483647", three.refusal().message());
        assertFalse(VirtualServiceRoutes.carries(big, "app", "app", Split.relative(new Weight(300))));
        // × 10 fits; and withdrawing scales nothing
        var ten = VirtualServiceRoutes.withSplit(big, "app", "app", Split.relative(new Weight(1000))).orElseThrow();
        assertEquals(List.of("app/stable=270000009", "app/canary=30000001", "legacy-app=10"),
                route(ten, "/spec/http/0/route"));
        assertFalse(VirtualServiceRoutes.withSplit(big, "app", "app", Split.STABLE_ONLY).refused());
    }
}
