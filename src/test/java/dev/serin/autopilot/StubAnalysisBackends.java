package dev.serin.autopilot;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Names the stub analysis backends as Serin's: {@link SampleGateTest}'s Prometheus (the default URL, and allowed)
 * and {@link DatadogScenarioTest}'s Datadog. One profile for both, so they share one application; each test starts
 * its own stub in {@code @BeforeAll} on a port kept in a system property, and a Canary asks Datadog only when its
 * analysis names it.
 */
public class StubAnalysisBackends implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        String prometheus = "http://127.0.0.1:" + SampleGateTest.port();
        return Map.of("serin.analysis.prometheus.url", prometheus,
                "serin.analysis.prometheus.allowed", prometheus,
                "serin.analysis.datadog.base-url", "http://127.0.0.1:" + DatadogScenarioTest.port(),
                "serin.analysis.datadog.namespace", "serin-system");
    }
}
