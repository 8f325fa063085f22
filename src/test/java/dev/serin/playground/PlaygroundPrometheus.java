package dev.serin.playground;

import static org.awaitility.Awaitility.await;

import dev.serin.prometheus.LocalPrometheus;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Debian's Prometheus ({@code apt-get install prometheus}) as a child process scraping the traffic view's Istio
 * metrics once a second, with its own config, storage and port under a directory of its own: what
 * {@code bin/playground} starts in the shell, for tests. Stops only the process it started.
 */
public final class PlaygroundPrometheus implements AutoCloseable {
    public static final String NOT_FOUND = LocalPrometheus.NOT_FOUND;

    private final LocalPrometheus prometheus;

    private PlaygroundPrometheus(LocalPrometheus prometheus) {
        this.prometheus = prometheus;
    }

    /** The prometheus binary: /usr/bin/prometheus or on PATH. */
    public static Optional<Path> find() {
        return LocalPrometheus.binary();
    }

    /** The config bin/playground writes too: one job scraping the traffic view's /metrics every second. */
    public static String config(int trafficPort) {
        return "# written by the Serin playground: scrapes the simulated traffic's Istio metrics\n"
                + LocalPrometheus.scrapeEverySecond("playground-istio", "localhost:" + trafficPort);
    }

    /** Starts it on a free port, storing under {@code dir}, and waits until it is ready and has scraped once. */
    public static PlaygroundPrometheus start(Path binary, int trafficPort, Path dir) throws IOException {
        PlaygroundPrometheus started = new PlaygroundPrometheus(LocalPrometheus.start(binary, config(trafficPort), dir));
        try {
            started.awaitScraped(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    public String url() {
        return prometheus.url();
    }

    private void awaitScraped(Duration atMost) {
        String scraped = url() + "/api/v1/query?query=up%7Bjob%3D%22playground-istio%22%7D%3D%3D1";
        await("prometheus at " + url() + " scrapes the traffic view").atMost(atMost).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    prometheus.alive();
                    String body = get(scraped);
                    return body != null && body.contains("\"value\"");
                });
    }

    private static String get(String address) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(address).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try {
                return c.getResponseCode() == 200 ? new String(c.getInputStream().readAllBytes()) : null;
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        prometheus.close();
    }
}
