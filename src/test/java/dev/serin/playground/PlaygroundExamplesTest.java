package dev.serin.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Compare;
import dev.serin.autopilot.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The playground's example Canaries fit the API types (a typo fails here) and the demo seed. */
class PlaygroundExamplesTest {
    private static final ObjectMapper STRICT = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static Canary read(String name) throws IOException {
        try (InputStream in = PlaygroundExamplesTest.class.getResourceAsStream("/playground/" + name)) {
            return STRICT.readValue(in, Canary.class);
        }
    }

    @Test
    void theManualExampleHasNoAutopilot() throws IOException {
        Canary shop = read("shop-canary.yaml");
        assertEquals(DemoSeed.APP, shop.getSpec().targetRef.name);
        assertNull(shop.getSpec().autopilot);
    }

    @Test
    void theGatewayApiExampleSplitsTheSeededHttpRouteOfItsOwnTarget() throws IOException {
        Canary cart = read("cart-canary.yaml");
        assertEquals(DemoSeed.NAMESPACE, cart.getMetadata().getNamespace());
        assertEquals(DemoSeed.GATEWAY_API_APP, cart.getSpec().targetRef.name);
        assertEquals(List.of(DemoSeed.GATEWAY_API_APP), cart.getSpec().traffic.httpRoutes);
        assertNull(cart.getSpec().traffic.virtualServices);
        assertNull(cart.getSpec().autopilot);
    }

    @Test
    void theAutopilotExampleStepsItsOwnTargetOnThePlaygroundsPrometheus() throws IOException {
        Canary catalog = read("catalog-canary.yaml");
        assertEquals(DemoSeed.NAMESPACE, catalog.getMetadata().getNamespace());
        assertEquals(DemoSeed.AUTOPILOT_APP, catalog.getSpec().targetRef.name);
        assertEquals(List.of(1.0, 5.0, 10.0, 25.0, 50.0), catalog.getSpec().autopilot.steps);
        assertEquals("30s", catalog.getSpec().autopilot.interval);
        // bin/playground and the tour rewrite exactly this URL and this interval line
        assertEquals(Playground.EXAMPLE_PROMETHEUS, catalog.getSpec().autopilot.analysis.prometheus);
        assertEquals(99.0, catalog.getSpec().autopilot.analysis.successRate.min);
    }

    @Test
    void theCompareExamplesJudgeLatencyAgainstStableOnTheirOwnTargetsOneCanary30PercentSlower() throws IOException {
        Canary slower = read("checkout-canary.yaml");
        Canary equal = read("search-canary.yaml");
        assertEquals(DemoSeed.SLOWER_APP, slower.getSpec().targetRef.name);
        assertEquals(DemoSeed.EQUAL_APP, equal.getSpec().targetRef.name);
        assertEquals("1.3", slower.getSpec().canary.annotations.get(TrafficSimulator.LATENCY_FACTOR_ANNOTATION));
        assertNull(equal.getSpec().canary.annotations);
        for (Canary c : List.of(slower, equal)) {
            var analysis = c.getSpec().autopilot.analysis;
            assertEquals(DemoSeed.NAMESPACE, c.getMetadata().getNamespace());
            assertEquals(Playground.EXAMPLE_PROMETHEUS, analysis.prometheus);
            assertEquals(Compare.Direction.INCREASE, analysis.latencyP99.compare.direction);
            assertNull(analysis.latencyP99.maxMs);
            assertEquals(1.05, analysis.latencyP99.compare.allowedIncrease);
            assertEquals(1, analysis.failureThreshold);
            // enough samples per check: (interval / step) samples per side, at least minSamples
            long samples = Durations.parse(c.getSpec().autopilot.interval).orElseThrow().toMillis()
                    / Durations.parse(analysis.judge.step).orElseThrow().toMillis();
            assertTrue(samples >= analysis.judge.minSamples + 2, samples + " samples per side");
        }
    }
}
