package dev.serin.playground;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus ({@code apt-get install prometheus}) as a child process scraping the traffic view's Istio
 * metrics once a second, with its own config, storage and port under a directory of its own: what
 * {@code bin/playground} starts in the shell, for tests. Stops only the process it started.
 */
public final class PlaygroundPrometheus implements AutoCloseable {
    public static final String NOT_FOUND = "prometheus not found; install it with: apt-get install prometheus";

    private final Process process;
    private final String url;

    private PlaygroundPrometheus(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /** The prometheus binary: /usr/bin/prometheus or on PATH. */
    public static Optional<Path> find() {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of("/usr/bin/prometheus"));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty()) {
                    candidates.add(Path.of(d, "prometheus"));
                }
            }
        }
        return candidates.stream().filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
    }

    /** The config bin/playground writes too: one job scraping the traffic view's /metrics every second. */
    public static String config(int trafficPort) {
        return """
                # written by the Serin playground: scrapes the simulated traffic's Istio metrics
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: playground-istio
                    static_configs:
                      - targets: ['localhost:%d']
                """.formatted(trafficPort);
    }

    /** Starts it on a free port, storing under {@code dir}, and waits until it is ready and has scraped once. */
    public static PlaygroundPrometheus start(Path binary, int trafficPort, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path config = Files.writeString(dir.resolve("prometheus.yml"), config(trafficPort));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--storage.tsdb.retention.time=2h",
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PlaygroundPrometheus prometheus = new PlaygroundPrometheus(p, "http://localhost:" + port);
        try {
            prometheus.awaitReady(Duration.ofSeconds(60), log);
        } catch (IOException | RuntimeException e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    public String url() {
        return url;
    }

    private void awaitReady(Duration atMost, Path log) throws IOException {
        long deadline = System.nanoTime() + atMost.toNanos();
        String scraped = url + "/api/v1/query?query=up%7Bjob%3D%22playground-istio%22%7D%3D%3D1";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            String body = get(scraped);
            if (body != null && body.contains("\"value\"")) {
                return;
            }
            try {
                Thread.sleep(200); // polling a child process that has no other way to say it is ready
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for prometheus", e);
            }
        }
        throw new IOException("prometheus at " + url + " had not scraped the traffic view within " + atMost + ":\n"
                + Files.readString(log));
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
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
