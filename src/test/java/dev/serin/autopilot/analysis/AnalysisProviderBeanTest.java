package dev.serin.autopilot.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Prometheus provider is the application's AnalysisProvider bean. */
@QuarkusTest
@WithStrictApiServer
class AnalysisProviderBeanTest {
    @Inject
    AnalysisProvider provider;

    @Inject
    Clock clock;

    @Test
    void injectableAndNeverThrows() {
        assertInstanceOf(PrometheusAnalysisProvider.class, provider);
        AnalysisSpec spec = new AnalysisSpec();
        AnalysisOutcome o = provider.analyze(
                new AnalysisRequest("web", "api-canary", "v2", Duration.ofMinutes(1), spec, clock.instant()));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertEquals("no Prometheus URL (analysis.prometheus) is set", o.metrics().get(0).message());
    }
}
