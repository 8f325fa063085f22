package dev.serin.plugin;

import dev.serin.playground.PlaygroundHarness;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The playground for a {@code @QuarkusTest}: its API server (demo seed, the stand-in Deployment controller, the traffic
 * view) runs in the test JVM and Serin's Kubernetes client points at it, the way {@code @WithKubernetesTestServer}
 * points it at fabric8's plain mock server. The test finds the kubeconfig and the traffic view through the config
 * keys {@code playground.kubeconfig}, {@code playground.traffic-url} and {@code playground.prometheus-url} (the
 * Prometheus scraping the simulated traffic, {@code none} when prometheus is not installed).
 */
public class PlaygroundResource implements QuarkusTestResourceLifecycleManager {
    private PlaygroundHarness playground;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("serin-playground-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        playground = PlaygroundHarness.startWithPrometheus(dir, Duration.ofMillis(500));
        Map<String, String> config = new HashMap<>(Map.of(
                "quarkus.kubernetes-client.api-server-url", playground.api().url(),
                "quarkus.kubernetes-client.trust-certs", "true",
                "serin.api.auth", "none",
                "serin.traffic.settle", "200ms",
                "serin.autopilot.tick", "1s", // the tour's autopilot part (the tests' default is 1h)
                "playground.kubeconfig", playground.kubeconfig().toString(),
                "playground.traffic-url", playground.trafficUrl()));
        String prometheus = playground.prometheusUrl();
        // as bin/playground does: the playground's Prometheus is Serin's default, and so the only one it may ask
        config.put("playground.prometheus-url", prometheus == null ? "none" : prometheus);
        if (prometheus != null) {
            config.put("serin.analysis.prometheus.url", prometheus);
        }
        return config;
    }

    @Override
    public void stop() {
        if (playground != null) {
            playground.close();
            playground = null;
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp directory left behind
            }
        }
    }
}
