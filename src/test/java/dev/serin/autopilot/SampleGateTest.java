package dev.serin.autopilot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.serin.Fixture;
import dev.serin.TestClock;
import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.Compare;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.prometheus.LocalPrometheus;
import dev.serin.reconcile.Controller;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample-size gate (issue 22, item 2): a healthy canary at 0.25 % whose traffic is too little to judge holds at its
 * step, check after check, and is never aborted; once traffic suffices it steps on. The checks are the application's
 * own compare-mode analysis against a stub Prometheus whose answers the test sets: the canary's requests in the window
 * (instant query) and, per step, its and stable's success rate and p99 latency (range queries), with NaN for the steps
 * in which the canary had no request. And the judge's other side: a canary 30 % slower than stable is High on its
 * critical p99, fails, and is rolled back at failureThreshold.
 */
@QuarkusTest
@WithStrictApiServer
@TestProfile(StubAnalysisBackends.class)
class SampleGateTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);
    static final Duration INTERVAL = Duration.ofMinutes(5);
    static final String PORT = "serin.test.sample-gate.port";

    /** The stub's port, kept in a system property that every class loader sees ({@link StubAnalysisBackends}). */
    static synchronized int port() {
        if (System.getProperty(PORT) == null) {
            try {
                System.setProperty(PORT, String.valueOf(LocalPrometheus.freePort()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Integer.parseInt(System.getProperty(PORT));
    }

    static HttpServer prometheus;
    /** The canary's requests in the window. */
    static final AtomicLong requests = new AtomicLong();
    /** Of the window's 30 steps, how many saw a canary request (the others are NaN). */
    static final AtomicInteger canarySteps = new AtomicInteger();
    /** The canary's latency is 30 % above stable's. */
    static final java.util.concurrent.atomic.AtomicBoolean slower = new java.util.concurrent.atomic.AtomicBoolean();

    @BeforeAll
    static void startStub() throws IOException {
        prometheus = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), 0);
        prometheus.createContext("/api/v1/query", ex -> {
            String query = URLDecoder.decode(ex.getRequestURI().getRawQuery().split("&")[0].substring(6),
                    StandardCharsets.UTF_8);
            String body;
            if (ex.getRequestURI().getPath().endsWith("_range")) {
                boolean canary = query.contains("destination_workload=\"api-canary\"");
                boolean latency = query.contains("histogram_quantile");
                body = matrix(canary ? canarySteps.get() : 30, latency, canary);
            } else {
                body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                        + "\"value\":[1,\"" + requests.get() + "\"]}]}}";
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        prometheus.start();
    }

    /** One series of 30 steps, the first {@code withData} with a value: 100 % success, or a p99 of 95..105 ms. */
    static String matrix(int withData, boolean latency, boolean canary) {
        StringJoiner values = new StringJoiner(",");
        for (int i = 0; i < 30; i++) {
            // both sides draw from the same values, in another order: a canary as good as stable
            double ms = (95 + (i * (canary ? 7 : 3)) % 11) * (canary && slower.get() ? 1.3 : 1);
            String v = i >= withData ? "NaN" : latency ? String.valueOf(ms) : "100";
            values.add("[" + (1000 + 10 * i) + ",\"" + v + "\"]");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"pod\":\"p\"},"
                + "\"values\":[" + values + "]}]}}";
    }

    @AfterAll
    static void stopStub() {
        if (prometheus != null) {
            prometheus.stop(0);
        }
    }

    @Strict
    KubernetesClient client;
    @Inject
    Controller controller;
    @Inject
    Autopilot autopilot;
    @Inject
    TestClock clock;
    @Inject
    ScriptedAnalysis analysis;

    Fixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            AutopilotRuns.delete(f, "api", DEADLINE);
        }
    }

    CanaryStatus status() {
        return f.getCanary("api").getStatus();
    }

    void tick() {
        AutopilotRuns.tick(controller, autopilot, DEADLINE);
    }

    /** One interval on, and the check it brings. */
    AnalysisRecord check() {
        return AutopilotRuns.check(this::status, controller, autopilot, clock, INTERVAL, DEADLINE);
    }

    /** At 0.25 % with steps [0.25, 0.5, 1], minRequests 50, failureThreshold 2, success rate and p99 compared. */
    void start() {
        f = new Fixture(client).service("api", 400);
        Canary c = f.canary("api", "api", 0.25, "v2");
        c.getSpec().canary.replicas = 1;
        AutopilotRuns.autopilot(c, List.of(0.25, 0.5, 1.0), "5m", "10m");
        AnalysisSpec a = new AnalysisSpec();
        a.minRequests = 50;
        a.failureThreshold = 2;
        a.successRate = new AnalysisSpec.Bound();
        a.successRate.compare = new Compare();
        a.latencyP99 = new AnalysisSpec.LatencyBound();
        a.latencyP99.compare = new Compare();
        a.latencyP99.compare.critical = true;
        c.getSpec().autopilot.analysis = a;
        analysis.real(f.namespace, "api");
        f.create(c);
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> Double.valueOf(0.25).equals(status().weight));
        tick();
        await().atMost(DEADLINE).until(() -> Objects.equals(0, status().stepIndex));
    }

    @Test
    void aHealthyCanaryWithTooLittleTrafficHoldsAndStepsOnceTrafficSuffices() {
        slower.set(false);
        start();
        // 100 req/s at 0.25 %: one request every 4 s; over 5 minutes a handful reach the canary in a few steps
        requests.set(12);
        canarySteps.set(5);
        for (int i = 0; i < 3; i++) { // more checks than failureThreshold: none of them counts as a failure
            AnalysisRecord r = check();
            assertEquals("Inconclusive", r.result, "check " + i);
            assertEquals("Inconclusive", r.judgement);
            AnalysisRecord.MetricValue req = r.metrics.get(0);
            assertEquals("12 requests in the last 5m; at least 50 needed to judge", req.message);
            assertEquals(0.25, f.getCanary("api").getSpec().weight, "the step holds");
            assertEquals(0, status().failedChecks);
            assertNotEquals(Phase.Aborted, status().phase);
        }

        // enough requests, but the canary's samples are still too few for the judge
        requests.set(75);
        canarySteps.set(12);
        AnalysisRecord r = check();
        assertEquals("Inconclusive", r.result);
        AnalysisRecord.MetricValue p99 = r.metrics.stream().filter(m -> m.name.equals("latencyP99")).findFirst()
                .orElseThrow();
        assertEquals("Inconclusive", p99.classification);
        assertEquals("too few samples: canary 12, stable 30; at least 20 each needed to judge", p99.message);
        assertEquals(12, p99.canarySamples);
        assertEquals(0.25, f.getCanary("api").getSpec().weight);
        assertEquals(0, status().failedChecks);

        // traffic suffices: judged, as good as stable, the next step
        requests.set(300);
        canarySteps.set(30);
        r = check();
        assertEquals("Pass", r.result, r.metrics.toString());
        assertEquals(100.0, r.score);
        await().atMost(DEADLINE).until(() -> Double.valueOf(0.5).equals(f.getCanary("api").getSpec().weight));
        assertTrue(r.metrics.stream().filter(m -> m.classification != null).allMatch(m -> "Pass".equals(m.classification)));
    }

    @Test
    void aCanary30PercentSlowerThanStableIsHighAndRolledBack() {
        slower.set(true);
        start();
        requests.set(300);
        canarySteps.set(30);
        AnalysisRecord r = check();
        assertEquals("Fail", r.result);
        assertEquals(0.0, r.score, "latencyP99 is critical");
        AnalysisRecord.MetricValue p99 = r.metrics.stream().filter(m -> m.name.equals("latencyP99")).findFirst()
                .orElseThrow();
        assertEquals("High", p99.classification, p99.message);
        assertEquals(1, status().failedChecks);
        assertEquals(0.25, f.getCanary("api").getSpec().weight);
        check();
        await().atMost(DEADLINE).until(() -> status().phase == Phase.Aborted && Double.valueOf(0).equals(status().weight));
    }
}
