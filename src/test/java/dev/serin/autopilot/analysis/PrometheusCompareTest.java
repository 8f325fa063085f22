package dev.serin.autopilot.analysis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.Compare;
import dev.serin.api.v1alpha1.JudgeSpec;
import dev.serin.prometheus.LocalPrometheus;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compare mode against a real Prometheus (Debian's {@code prometheus}, scraping every 100 ms) that scrapes an
 * Istio-shaped exporter in this test: two pods of each of four workloads record requests every 100 ms with latencies
 * drawn from one distribution — {@code eq-canary} as {@code eq}, and {@code slow-canary} 30 % slower than
 * {@code slow}. The built-in {@code latencyP99} is then judged per step (500 ms, 200 requests per pod in each) and
 * per pod over the last 40 s: the equal canary passes, the slower one is High and fails the check (which the
 * autopilot counts toward its rollback, as AutopilotTest and SampleGateTest show).
 */
class PrometheusCompareTest {
    static final String NS = "web";
    static final Duration WINDOW = Duration.ofSeconds(40);
    /** the judge's step; short so that the samples the judge needs arrive in seconds (production default: 10s) */
    static final String STEP = "500ms";
    /** requests per pod and workload every 100 ms: 200 per step, as many as a 2 s step held at 10 */
    static final int PER_TICK = 40;
    static final double[] LE = {20, 40, 60, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 200, 250, 300, 400};

    static LocalPrometheus prometheus;
    static HttpServer exporter;
    static ScheduledExecutorService traffic;
    /** per series labels: counts per bucket (not cumulative, last is +Inf) */
    static final Map<String, long[]> buckets = new TreeMap<>();

    @BeforeAll
    static void start() throws Exception {
        if (LocalPrometheus.binary().isEmpty()) {
            System.err.println("PrometheusCompareTest: " + LocalPrometheus.NOT_FOUND);
            return;
        }
        exporter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        exporter.createContext("/metrics", ex -> {
            byte[] b = render().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        exporter.start();
        Random random = new Random(22);
        traffic = Executors.newSingleThreadScheduledExecutor();
        traffic.scheduleAtFixedRate(() -> {
            for (String pod : new String[] {"a", "b"}) {
                for (int i = 0; i < PER_TICK; i++) {
                    double ms = 60 + random.nextDouble() * 60 + (random.nextDouble() < 0.05 ? 40 : 0);
                    observe("eq", pod, "v1", ms);
                    observe("eq-canary", pod, "v2", 60 + random.nextDouble() * 60
                            + (random.nextDouble() < 0.05 ? 40 : 0));
                    observe("slow", pod, "v1", ms);
                    observe("slow-canary", pod, "v2", 1.3 * (60 + random.nextDouble() * 60
                            + (random.nextDouble() < 0.05 ? 40 : 0)));
                }
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
        prometheus = LocalPrometheus.start(LocalPrometheus.binary().get(), LocalPrometheus.scrapeEvery("istio",
                "127.0.0.1:" + exporter.getAddress().getPort(), Duration.ofMillis(100)), Files.createTempDirectory("serin-compare-"));
    }

    static synchronized void observe(String workload, String pod, String version, double ms) {
        String labels = "reporter=\"destination\",destination_workload_namespace=\"" + NS + "\",destination_workload=\""
                + workload + "\",destination_version=\"" + version + "\",pod=\"" + workload + "-" + pod + "\"";
        long[] b = buckets.computeIfAbsent(labels, k -> new long[LE.length + 1]);
        int i = 0;
        while (i < LE.length && ms > LE[i]) {
            i++;
        }
        b[i]++;
    }

    static synchronized String render() {
        StringBuilder s = new StringBuilder("# TYPE istio_request_duration_milliseconds histogram\n");
        buckets.forEach((labels, b) -> {
            long cumulative = 0;
            for (int i = 0; i <= LE.length; i++) {
                cumulative += b[i];
                s.append("istio_request_duration_milliseconds_bucket{").append(labels).append(",le=\"")
                        .append(i < LE.length ? String.valueOf(LE[i]) : "+Inf").append("\"} ").append(cumulative)
                        .append('\n');
            }
        });
        return s.toString();
    }

    @AfterAll
    static void stop() {
        if (traffic != null) {
            traffic.shutdownNow();
        }
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.stop(0);
        }
    }

    static AnalysisSpec latencyCompared() {
        AnalysisSpec s = new AnalysisSpec();
        s.prometheus = prometheus.url();
        s.latencyP99 = new AnalysisSpec.LatencyBound();
        s.latencyP99.compare = new Compare();
        s.latencyP99.compare.allowedIncrease = 1.1;
        s.judge = new JudgeSpec();
        s.judge.step = STEP;
        return s;
    }

    static AnalysisRecord.MetricValue judge(String name) {
        AnalysisOutcome o = new PrometheusAnalysisProvider().analyze(new AnalysisRequest(NS, name + "-canary", "v2",
                WINDOW, latencyCompared(), Instant.now(), name));
        AnalysisRecord.MetricValue p99 = o.toRecord().metrics.stream().filter(m -> m.name.equals("latencyP99"))
                .findFirst().orElseThrow();
        System.out.printf("PrometheusCompareTest: %s %s %s (%s)%n", name, o.verdict(), p99.classification, p99.message);
        return p99;
    }

    @Test
    void anEqualCanaryPassesAndOne30PercentSlowerIsHigh() {
        assumeTrue(prometheus != null, LocalPrometheus.NOT_FOUND);
        // enough steps with data on each side: 30 per side (15 steps of 500 ms, each for two pods)
        await("samples on both sides").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    AnalysisRecord.MetricValue m = judge("eq");
                    return m.canarySamples != null && m.canarySamples >= 30 && m.stableSamples >= 30;
                });
        AnalysisRecord.MetricValue equal = judge("eq");
        assertEquals("Pass", equal.classification, equal.message);
        AnalysisRecord.MetricValue slower = judge("slow");
        assertEquals("High", slower.classification, slower.message);
        assertEquals("Fail", slower.result);
        AnalysisOutcome o = new PrometheusAnalysisProvider().analyze(new AnalysisRequest(NS, "slow-canary", "v2",
                WINDOW, latencyCompared(), Instant.now(), "slow"));
        assertEquals(Verdict.FAIL, o.verdict(), "a High on the only compared metric: score 0, the check fails");
        assertEquals(Verdict.PASS, new PrometheusAnalysisProvider().analyze(new AnalysisRequest(NS, "eq-canary", "v2",
                WINDOW, latencyCompared(), Instant.now(), "eq")).verdict());
    }
}
