package dev.serin.bench;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The benchmark's settings. serin.traffic.settle is 10ms (default 3s): a real mesh needs the wait for Envoys
 * to receive a subset change, the mock API server has no Envoys, and the benchmark measures Serin, not the wait.
 * No REST auth (no TokenReview round trips). Serin's INFO lines (one per Kubernetes Event it records, one audit line per REST change) are off,
 * so the console of the test JVM is not part of what is timed. The retry back-offs are the production defaults
 * (the tests' application.properties scales them down to 20ms / 500ms; the longest back-off is also how often
 * discovery of a dialect the cluster does not serve is asked again, which at 500ms made idle Serin read twice a second).
 */
public class BenchmarkProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "serin.traffic.settle", "10ms",
                "serin.api.auth", "none",
                "serin.reconcile.min-backoff", "200ms",
                "serin.reconcile.max-backoff", "30s",
                "quarkus.log.category.\"dev.serin\".level", "WARN",
                "quarkus.log.category.\"serin.audit\".level", "WARN",
                "quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN",
                "quarkus.log.category.\"io.fabric8.kubernetes.client.server.mock\".level", "WARN");
    }
}
