package dev.serin.traffic.istio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class DestinationRuleSubsetsTest {
    private static final String RULE = """
            {"metadata": {"name": "api", "namespace": "web"},
             "spec": {"host": "api", "trafficPolicy": {"tls": {"mode": "ISTIO_MUTUAL"}},
                      "subsets": [{"name": "legacy", "labels": {"version": "v0"}},
                                  {"name": "stable", "labels": {"version": "v0", "tier": "gold"},
                                   "trafficPolicy": {"loadBalancer": {"simple": "LEAST_REQUEST"}}}]}}""";

    @Test
    void addsBothSubsetsAndKeepsEveryOtherSubsetAndField() throws Exception {
        ObjectNode before = VirtualServiceRoutesTest.vs(RULE);
        ObjectNode after = DestinationRuleSubsets.withSubsets(before, "api", "version", "v1", "v2");
        assertTrue(DestinationRuleSubsets.has(after, "version", "v1", "v2"));
        assertEquals("legacy", after.at("/spec/subsets/0/name").asText());
        // an existing stable subset is retargeted, its other labels and policy kept
        assertEquals("gold", after.at("/spec/subsets/1/labels/tier").asText());
        assertEquals("LEAST_REQUEST", after.at("/spec/subsets/1/trafficPolicy/loadBalancer/simple").asText());
        assertEquals("ISTIO_MUTUAL", after.at("/spec/trafficPolicy/tls/mode").asText());
        assertEquals(after, DestinationRuleSubsets.withSubsets(after, "api", "version", "v1", "v2"));
    }

    @Test
    void removesOnlyWhatItAdded() throws Exception {
        ObjectNode before = VirtualServiceRoutesTest.vs(RULE);
        ObjectNode with = DestinationRuleSubsets.withSubsets(before, "api", "version", "v0", "v2");
        ObjectNode without = DestinationRuleSubsets.withoutSubsets(with, "api");
        assertFalse(DestinationRuleSubsets.hasSubset(without, "canary"));
        assertTrue(DestinationRuleSubsets.hasSubset(without, "stable")); // it was there before
        assertEquals(before, without);

        ObjectNode bare = VirtualServiceRoutesTest.vs("{\"metadata\": {\"name\": \"x\"}, \"spec\": {\"host\": \"x\"}}");
        ObjectNode added = DestinationRuleSubsets.withSubsets(bare, "x", "version", "v1", "v2");
        ObjectNode removed = DestinationRuleSubsets.withoutSubsets(added, "x");
        assertEquals(bare, removed);
    }

    @Test
    void subsetsItAddsCarryThePolicyTheyAreGivenAndOnlyThose() throws Exception {
        ObjectNode before = VirtualServiceRoutesTest.vs("""
                {"metadata": {"name": "api", "namespace": "web"},
                 "spec": {"host": "api", "subsets": [{"name": "v1", "labels": {"version": "v1", "zone": "a"},
                          "trafficPolicy": {"loadBalancer": {"simple": "LEAST_REQUEST"}}}]}}""");
        var policy = DestinationRuleSubsets.policyOf(before, java.util.List.of("v0", "v1"));
        assertEquals("LEAST_REQUEST", policy.at("/loadBalancer/simple").asText());
        ObjectNode after = DestinationRuleSubsets.withSubsets(before, "api", "version", "v1", "v2", policy);
        assertEquals(policy, after.at("/spec/subsets/1/trafficPolicy"));
        assertEquals(policy, after.at("/spec/subsets/2/trafficPolicy"));
        assertTrue(after.at("/spec/subsets/1/labels/zone").isMissingNode()); // the subset label alone selects
        assertTrue(DestinationRuleSubsets.has(after, "api", "version", "v1", "v2", policy));
        assertFalse(DestinationRuleSubsets.has(after, "api", "version", "v1", "v2", null));
        assertEquals(before, DestinationRuleSubsets.withoutSubsets(after, "api"));

        // a stable subset the user wrote keeps its own policy
        ObjectNode own = VirtualServiceRoutesTest.vs(RULE);
        ObjectNode kept = DestinationRuleSubsets.withSubsets(own, "api", "version", "v1", "v2", ((ObjectNode) policy.deepCopy())
                .put("x", 1));
        assertEquals("LEAST_REQUEST", kept.at("/spec/subsets/1/trafficPolicy/loadBalancer/simple").asText());
        assertTrue(kept.at("/spec/subsets/1/trafficPolicy/x").isMissingNode());
    }
}
