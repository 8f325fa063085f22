package dev.serin.prometheus;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code prometheus} as a child process of a test, on a free loopback port, with its config and storage in a
 * directory of the caller's: the one way the analysis, observed-share and playground tests start a real Prometheus.
 * {@link #close()} stops only the process it started.
 */
public final class LocalPrometheus implements AutoCloseable {
    public static final String NOT_FOUND = "prometheus not found; install it with: apt-get install prometheus";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final String url;
    private final Path log;

    private LocalPrometheus(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** The prometheus binary: /usr/bin/prometheus or on PATH. */
    public static Optional<Path> binary() {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin/prometheus")));
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

    /** A config with one job scraping {@code target} (host:port, path /metrics) every second. */
    public static String scrapeEverySecond(String job, String target) {
        return scrapeEvery(job, target, Duration.ofSeconds(1));
    }

    /** A config with one job scraping {@code target} (host:port, path /metrics) every {@code interval}. */
    public static String scrapeEvery(String job, String target, Duration interval) {
        long ms = interval.toMillis();
        String every = ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
        return """
                global:
                  scrape_interval: %s
                  scrape_timeout: %s
                  evaluation_interval: %s
                scrape_configs:
                  - job_name: %s
                    static_configs:
                      - targets: ['%s']
                """.formatted(every, every, every, job, target);
    }

    /** Writes {@code config} into {@code dir}, starts Prometheus on a free port, and waits until it is ready. */
    public static LocalPrometheus start(Path binary, String config, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.writeString(dir.resolve("prometheus.yml"), config);
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"), "--storage.tsdb.retention.time=2h",
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LocalPrometheus prometheus = new LocalPrometheus(p, "http://127.0.0.1:" + port, log);
        // a test profile may start it in another class loader than the one whose @AfterAll would stop it: the JVM's
        // exit stops it at the latest, so no test run leaves a Prometheus behind
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "stop-prometheus-" + port));
        try {
            await("Prometheus ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> prometheus.alive() && status(prometheus.url + "/-/ready") == 200);
        } catch (RuntimeException e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    public String url() {
        return url;
    }

    /** True while the process runs; when it has exited, fails with its log (a wait on it would only time out). */
    public boolean alive() throws IOException {
        if (!process.isAlive()) {
            throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + Files.readString(log));
        }
        return true;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The HTTP status of a GET, or -1 when nothing answers. */
    public static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
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
