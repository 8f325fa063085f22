package dev.serin.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.serin.api.v1alpha1.Canary;
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
}
