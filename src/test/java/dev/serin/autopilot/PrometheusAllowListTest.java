package dev.serin.autopilot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import io.fabric8.kubernetes.api.model.Condition;
import dev.serin.reconcile.Conditions;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * serin.analysis.prometheus.allowed: a Canary naming a Prometheus outside it is not acted on (Valid=False, reason
 * PrometheusNotAllowed); serin.analysis.prometheus.url serves a Canary that names none.
 */
@QuarkusTest
@WithStrictApiServer
@TestProfile(PrometheusAllowListTest.Profile.class)
class PrometheusAllowListTest {
    static final String PROMETHEUS = "http://prometheus.istio-system:9090";

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("serin.analysis.prometheus.allowed", PROMETHEUS,
                    "serin.analysis.prometheus.url", PROMETHEUS);
        }
    }

    @Strict
    KubernetesClient client;

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
        Fixture f = new Fixture(client).service("api", 4);
        autopiloted(f, PROMETHEUS + ".evil.example");
        await().atMost(Duration.ofSeconds(15)).until(() -> valid(f) != null && "False".equals(valid(f).getStatus()));
        Condition valid = valid(f);
        assertTrue("PrometheusNotAllowed".equals(valid.getReason()), valid.toString());
        assertTrue(f.deploymentNow("api-canary") == null, "no canary Deployment for an invalid Canary");
    }

    @Test
    void aCanaryNamingNoPrometheusUsesTheDefault() {
        Fixture f = new Fixture(client).service("api", 4);
        autopiloted(f, null);
        await().atMost(Duration.ofSeconds(15)).until(() -> valid(f) != null && "True".equals(valid(f).getStatus()));
    }
}
