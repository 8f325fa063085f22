package dev.serin.autopilot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.autopilot.analysis.PrometheusEndpoints;
import io.fabric8.kubernetes.api.model.Condition;
import dev.serin.reconcile.Conditions;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Serin asks only serin.analysis.prometheus.url and the URLs under serin.analysis.prometheus.allowed: a Canary naming
 * another Prometheus is not acted on (Valid=False, reason PrometheusNotAllowed, no canary Deployment). It runs in the
 * tests' shared application, which sets neither (so no URL is allowed); which URLs a configured default and
 * allow-list admit, and that the default serves a Canary naming none, is PrometheusEndpoints' behaviour:
 * {@code PrometheusEndpointsTest#aCanaryNamingNoPrometheusUsesTheDefault} and
 * {@code #theDefaultAndTheListedUrlsMayBeNamed} (with this test's former profile's values), and SampleGateTest runs
 * an analysis against a configured URL.
 */
@QuarkusTest
@WithStrictApiServer
class PrometheusAllowListTest {
    static final String PROMETHEUS = "http://prometheus.istio-system:9090";

    @Strict
    KubernetesClient client;
    @Inject
    PrometheusEndpoints endpoints;

    Canary autopiloted(Fixture f, String prometheus) {
        Canary c = f.canary("api", "api", 1, "v2");
        c.getSpec().autopilot = new AutopilotSpec();
        c.getSpec().autopilot.steps = List.of(1.0, 5.0);
        c.getSpec().autopilot.interval = "5m";
        c.getSpec().autopilot.analysis = new AnalysisSpec();
        c.getSpec().autopilot.analysis.prometheus = prometheus;
        return f.create(c);
    }

    Condition valid(Fixture f) {
        Canary c = f.getCanary("api");
        return c == null || c.getStatus() == null ? null : Conditions.find(c.getStatus().conditions, "Valid");
    }

    @Test
    void aPrometheusOutsideTheAllowListMakesTheCanaryInvalid() {
        assertFalse(endpoints.allowed(PROMETHEUS + ".evil.example"), "the shared test configuration allows no URL");
        Fixture f = new Fixture(client).service("api", 4);
        autopiloted(f, PROMETHEUS + ".evil.example");
        await().atMost(Duration.ofSeconds(15)).until(() -> valid(f) != null && "False".equals(valid(f).getStatus()));
        Condition valid = valid(f);
        assertTrue("PrometheusNotAllowed".equals(valid.getReason()), valid.toString());
        assertTrue(f.deploymentNow("api-canary") == null, "no canary Deployment for an invalid Canary");
    }

    @Test
    void anyOtherHostOrPortIsNotAllowed() {
        for (String other : List.of("http://prometheus.istio-system:9091", "http://169.254.169.254/latest",
                "https://thanos.example/other")) {
            assertFalse(endpoints.allowed(other), other);
            Fixture f = new Fixture(client).service("api", 4);
            autopiloted(f, other);
            await(other).atMost(Duration.ofSeconds(15))
                    .until(() -> valid(f) != null && "False".equals(valid(f).getStatus()));
            assertTrue("PrometheusNotAllowed".equals(valid(f).getReason()), valid(f).toString());
        }
    }
}
