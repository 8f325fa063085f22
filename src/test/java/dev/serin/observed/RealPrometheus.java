package dev.serin.observed;

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
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Debian's {@code prometheus} as a child process of the test, scraping one target every second. */
final class RealPrometheus implements AutoCloseable {
    static final String NOT_FOUND = "prometheus not found; install it with: apt-get install prometheus";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String url;
    private final Process process;
    private final Path dir;

    private RealPrometheus(String url, Process process, Path dir) {
        this.url = url;
        this.process = process;
        this.dir = dir;
    }

    /** Started and ready, scraping {@code target} (host:port, path /metrics) every second. */
    static RealPrometheus start(Path binary, String target) throws IOException {
        Path dir = Files.createTempDirectory("serin-prometheus-");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: istio-sidecars
                    static_configs:
                      - targets: ['%s']
                """.formatted(target));
        int port = freePort();
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--storage.tsdb.retention.time=1h",
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RealPrometheus prometheus = new RealPrometheus("http://127.0.0.1:" + port, p, dir);
        await("Prometheus ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            return status(prometheus.url + "/-/ready") == 200;
        });
        return prometheus;
    }

    static Optional<Path> binary() {
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

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int status(String url) {
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
    public void close() throws Exception {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }
}
