package dev.serin.autopilot.analysis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.prometheus.LocalPrometheus;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The analysis against a real Prometheus server (the {@code prometheus} binary, started here as a child process) that
 * scrapes Istio-shaped metrics from a small exporter inside the test, every 200 ms.
 *
 * <p>Every scenario is its own canary workload in namespace {@code web}, so one run of traffic serves them all: the
 * exporter first shows every counter at 0, then three rounds of increments, each awaited until Prometheus has scraped
 * it (a generation gauge is served in the same scrape). The analysis is then evaluated at the time of the last scrape,
 * so the 30s window holds exactly the test's traffic.
 */
class PrometheusAnalysisTest {
    static final String NS = "web";
    static final String VERSION = "v2";
    static final Duration WINDOW = Duration.ofSeconds(30);
    static final int ROUNDS = 3;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static Path dir;
    static LocalPrometheus prometheus;
    static HttpServer exporterServer;
    static final Exporter exporter = new Exporter();
    static String prometheusUrl;
    static Instant lastScrape;
    static final PrometheusAnalysisProvider provider = new PrometheusAnalysisProvider();

    static Optional<Path> binary;

    @BeforeAll
    static void startPrometheusAndDriveTraffic() throws Exception {
        binary = LocalPrometheus.binary();
        if (binary.isEmpty()) {
            // each test is then skipped with this message (an assumption here would hide them from the report)
            System.err.println("PrometheusAnalysisTest: " + LocalPrometheus.NOT_FOUND);
            return;
        }

        // Round 0: every series that will ever exist, at 0 (Prometheus' increase() needs a first sample to count from)
        exporter.requests(labels("destination", "api-canary", VERSION, "200"), 0);
        exporter.requests(labels("destination", "api-canary", VERSION, "503"), 0);
        exporter.observe(labels("destination", "api-canary", VERSION, "200"), 20, 0);
        // noise the selectors must ignore: the same requests as seen by the caller's sidecar, and the stable workload
        exporter.requests(labels("source", "api-canary", VERSION, "503"), 0);
        exporter.requests(labels("destination", "api", "v1", "503"), 0);
        exporter.requests(labels("destination", "errors-canary", VERSION, "200"), 0);
        exporter.requests(labels("destination", "errors-canary", VERSION, "503"), 0);
        exporter.observe(labels("destination", "errors-canary", VERSION, "200"), 20, 0);
        exporter.requests(labels("destination", "slow-canary", VERSION, "200"), 0);
        exporter.observe(labels("destination", "slow-canary", VERSION, "200"), 80, 0);
        exporter.observe(labels("destination", "slow-canary", VERSION, "200"), 2000, 0);
        // quiet-canary has series that never move; idle-canary has none at all
        exporter.requests(labels("destination", "quiet-canary", VERSION, "200"), 5);
        exporter.observe(labels("destination", "quiet-canary", VERSION, "200"), 20, 5);

        exporterServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        exporterServer.createContext("/metrics", ex -> {
            byte[] body = exporter.render().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        exporterServer.start();

        dir = Files.createTempDirectory("serin-prometheus-");
        prometheus = LocalPrometheus.start(binary.get(), LocalPrometheus.scrapeEvery("istio-sidecars",
                "127.0.0.1:" + exporterServer.getAddress().getPort(), Duration.ofMillis(200)), dir);
        prometheusUrl = prometheus.url();
        awaitScrape(exporter.generation());

        for (int round = 1; round <= ROUNDS; round++) {
            exporter.round(e -> {
                e.requests(labels("destination", "api-canary", VERSION, "200"), 400);
                e.observe(labels("destination", "api-canary", VERSION, "200"), 20, 400);
                e.requests(labels("source", "api-canary", VERSION, "503"), 1000);
                e.requests(labels("destination", "api", "v1", "503"), 1000);

                e.requests(labels("destination", "errors-canary", VERSION, "200"), 300);
                e.requests(labels("destination", "errors-canary", VERSION, "503"), 30);
                e.observe(labels("destination", "errors-canary", VERSION, "200"), 20, 330);

                e.requests(labels("destination", "slow-canary", VERSION, "200"), 300);
                e.observe(labels("destination", "slow-canary", VERSION, "200"), 80, 30);
                e.observe(labels("destination", "slow-canary", VERSION, "200"), 2000, 270);
            });
            lastScrape = awaitScrape(exporter.generation());
        }
    }

    @BeforeEach
    void needsPrometheus() {
        assumeTrue(binary.isPresent(), LocalPrometheus.NOT_FOUND);
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporterServer != null) {
            exporterServer.stop(0);
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    // --- scenarios ---

    @Test
    void healthyCanaryPasses() {
        AnalysisOutcome o = analyze("api-canary", spec(99.0, 500.0, 100), lastScrape);
        assertEquals(Verdict.PASS, o.verdict(), o::toString);
        assertEquals(lastScrape, o.time());
        // 3 rounds of 400; the 5xx seen by the caller's sidecar and by the stable workload are not the canary's
        assertEquals(1200, value(o, "requests"), 1.0);
        assertEquals(100, value(o, "successRate"), 1e-9);
        // every request took 20ms: in the (10, 25] bucket
        double p99 = value(o, "latencyP99");
        assertTrue(p99 > 10 && p99 <= 25, "p99 " + p99);
        assertEquals("Pass", o.toRecord().result);
    }

    @Test
    void aBurstOf5xxFailsTheSuccessRate() {
        AnalysisOutcome o = analyze("errors-canary", spec(99.0, 500.0, 100), lastScrape);
        assertEquals(Verdict.FAIL, o.verdict(), o::toString);
        assertEquals(990, value(o, "requests"), 1.0);
        assertEquals(100.0 * 900 / 990, value(o, "successRate"), 0.01);
        assertEquals(Verdict.FAIL, metric(o, "successRate").verdict());
        assertTrue(metric(o, "successRate").message().endsWith("% is below the minimum 99%"),
                metric(o, "successRate").message());
        assertEquals(Verdict.PASS, metric(o, "latencyP99").verdict());
    }

    @Test
    void aSlowCanaryFailsTheLatency() {
        AnalysisOutcome o = analyze("slow-canary", spec(99.0, 500.0, 100), lastScrape);
        assertEquals(Verdict.FAIL, o.verdict(), o::toString);
        assertEquals(Verdict.PASS, metric(o, "successRate").verdict());
        // 10% at 80ms, 90% at 2s: the 99th percentile is in the (1000, 2500] bucket
        double p99 = value(o, "latencyP99");
        assertTrue(p99 > 1000 && p99 <= 2500, "p99 " + p99);
        assertEquals(Verdict.FAIL, metric(o, "latencyP99").verdict());
    }

    @Test
    void noTrafficIsInconclusive() {
        for (String workload : List.of("idle-canary", "quiet-canary")) {
            AnalysisOutcome o = analyze(workload, spec(99.0, 500.0, null), lastScrape);
            assertEquals(Verdict.INCONCLUSIVE, o.verdict(), workload + ": " + o);
            assertEquals(0.0, value(o, "requests"), 1e-9, workload);
            for (String m : List.of("successRate", "latencyP99")) {
                assertNull(metric(o, m).value(), workload + " " + m);
                assertEquals(Verdict.INCONCLUSIVE, metric(o, m).verdict(), workload + " " + m);
                assertTrue(metric(o, m).message().startsWith("no data"), metric(o, m).message());
            }
        }
    }

    @Test
    void tooFewRequestsIsInconclusive() {
        AnalysisOutcome o = analyze("errors-canary", spec(99.0, 500.0, 5000), lastScrape);
        assertEquals(Verdict.INCONCLUSIVE, o.verdict(), o::toString);
        assertEquals(Verdict.INCONCLUSIVE, metric(o, "requests").verdict());
        assertEquals(Verdict.FAIL, metric(o, "successRate").verdict(), "values are still reported");
    }

    @Test
    void theEvaluationTimeIsHonoured() {
        // ten minutes before this Prometheus started there was no traffic
        AnalysisOutcome o = analyze("api-canary", spec(99.0, 500.0, 100), lastScrape.minus(Duration.ofMinutes(10)));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict(), o::toString);
        assertEquals(0.0, value(o, "requests"), 1e-9);
    }

    @Test
    void customQueriesAreComparedWithTheirBounds() {
        AnalysisSpec spec = spec(null, null, null);
        spec.queries = List.of(
                query("errors503", "sum(increase(istio_requests_total{reporter=\"destination\","
                        + "destination_workload_namespace=\"{{namespace}}\",destination_workload=\"{{workload}}\","
                        + "response_code=\"503\"}[{{window}}]))", null, 10.0),
                query("bad", "sum(rate(istio_requests_total[", null, 1.0),
                query("manySeries", "istio_requests_total", null, 1.0),
                query("scalar", "scalar(vector(2))", 1.0, 3.0));

        AnalysisOutcome healthy = analyze("api-canary", spec, lastScrape);
        assertEquals(0.0, value(healthy, "errors503"), 1e-9);
        assertEquals(Verdict.PASS, metric(healthy, "errors503").verdict());
        assertEquals(2.0, value(healthy, "scalar"), 1e-9);
        assertEquals(Verdict.PASS, metric(healthy, "scalar").verdict());
        assertEquals(Verdict.INCONCLUSIVE, metric(healthy, "bad").verdict());
        assertTrue(metric(healthy, "bad").message().startsWith("Prometheus error (HTTP 400, bad_data):"),
                metric(healthy, "bad").message());
        assertEquals(Verdict.INCONCLUSIVE, metric(healthy, "manySeries").verdict());
        assertTrue(metric(healthy, "manySeries").message().contains("series"), metric(healthy, "manySeries").message());
        assertEquals(Verdict.INCONCLUSIVE, healthy.verdict(), "an error is never a pass");

        AnalysisOutcome errors = analyze("errors-canary", spec, lastScrape);
        assertEquals(90, value(errors, "errors503"), 1.0);
        assertEquals(Verdict.FAIL, metric(errors, "errors503").verdict());
        assertEquals(Verdict.FAIL, errors.verdict());
    }

    @Test
    void aStoppedPrometheusIsInconclusive() throws IOException {
        AnalysisSpec spec = spec(99.0, 500.0, null);
        spec.prometheus = "http://127.0.0.1:" + LocalPrometheus.freePort();
        AnalysisOutcome o = provider.analyze(new AnalysisRequest(NS, "api-canary", VERSION, WINDOW, spec, lastScrape));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertTrue(o.metrics().get(0).message().startsWith("cannot reach Prometheus"), o.metrics().get(0).message());
    }

    // --- helpers ---

    static AnalysisOutcome analyze(String workload, AnalysisSpec spec, Instant at) {
        return provider.analyze(new AnalysisRequest(NS, workload, VERSION, WINDOW, spec, at));
    }

    static AnalysisSpec spec(Double minSuccess, Double maxP99, Integer minRequests) {
        AnalysisSpec s = AnalysisRulesTest.spec(minSuccess, maxP99, minRequests);
        s.prometheus = prometheusUrl;
        return s;
    }

    static AnalysisSpec.Query query(String name, String q, Double min, Double max) {
        return AnalysisRulesTest.query(name, q, min, max);
    }

    static MetricOutcome metric(AnalysisOutcome o, String name) {
        return o.metrics().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + o));
    }

    static double value(AnalysisOutcome o, String name) {
        MetricOutcome m = metric(o, name);
        if (m.value() == null) {
            throw new AssertionError(name + " has no value: " + m);
        }
        return m.value();
    }

    static String labels(String reporter, String workload, String version, String code) {
        return "reporter=\"" + reporter + "\",destination_workload=\"" + workload
                + "\",destination_workload_namespace=\"" + NS + "\",destination_version=\"" + version
                + "\",response_code=\"" + code + "\"";
    }

    /** Waits until Prometheus holds the given generation; returns that scrape's time. */
    static Instant awaitScrape(long generation) {
        Instant[] at = new Instant[1];
        await("Prometheus scrapes generation " + generation).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    JsonNode r = instantQuery("serin_test_generation >= " + generation);
                    if (r == null || r.size() != 1) {
                        return false;
                    }
                    // the latest scrape's own time (a query result's time is when the query ran); a later scrape of
                    // the same generation is as good
                    r = instantQuery("timestamp(serin_test_generation)");
                    at[0] = Instant.ofEpochMilli(new BigDecimal(r.get(0).path("value").get(1).asText())
                            .movePointRight(3).longValueExact());
                    return true;
                });
        return at[0];
    }

    static JsonNode instantQuery(String q) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(prometheusUrl + "/api/v1/query?query="
                + URLEncoder.encode(q, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        return "success".equals(body.path("status").asText()) ? body.path("data").path("result") : null;
    }

    /** Istio-shaped metrics in Prometheus text format, changed by the test between scrapes. */
    static final class Exporter {
        static final double[] BUCKETS = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};

        private final Map<String, Long> requests = new TreeMap<>();
        private final Map<String, long[]> buckets = new TreeMap<>(); // per le, then +Inf; not cumulative
        private final Map<String, Double> sums = new TreeMap<>();
        private long generation = 1;

        synchronized void requests(String labels, long n) {
            requests.merge(labels, n, Long::sum);
        }

        synchronized void observe(String labels, double ms, long n) {
            long[] b = buckets.computeIfAbsent(labels, k -> new long[BUCKETS.length + 1]);
            int i = 0;
            while (i < BUCKETS.length && ms > BUCKETS[i]) {
                i++;
            }
            b[i] += n;
            sums.merge(labels, ms * n, Double::sum);
        }

        /** Applies one round of changes and bumps the generation, all in one scrape. */
        synchronized void round(java.util.function.Consumer<Exporter> changes) {
            changes.accept(this);
            generation++;
        }

        synchronized long generation() {
            return generation;
        }

        synchronized String render() {
            StringBuilder s = new StringBuilder();
            s.append("# TYPE istio_requests_total counter\n");
            requests.forEach((l, n) -> s.append("istio_requests_total{").append(l).append("} ").append(n).append('\n'));
            s.append("# TYPE istio_request_duration_milliseconds histogram\n");
            buckets.forEach((l, b) -> {
                long cumulative = 0;
                for (int i = 0; i <= BUCKETS.length; i++) {
                    cumulative += b[i];
                    String le = i < BUCKETS.length ? BigDecimal.valueOf(BUCKETS[i]).stripTrailingZeros()
                            .toPlainString() : "+Inf";
                    s.append("istio_request_duration_milliseconds_bucket{").append(l).append(",le=\"").append(le)
                            .append("\"} ").append(cumulative).append('\n');
                }
                s.append("istio_request_duration_milliseconds_sum{").append(l).append("} ").append(sums.get(l))
                        .append('\n');
                s.append("istio_request_duration_milliseconds_count{").append(l).append("} ").append(cumulative)
                        .append('\n');
            });
            s.append("# TYPE serin_test_generation gauge\n");
            s.append("serin_test_generation ").append(generation).append('\n');
            return s.toString();
        }
    }
}
