package dev.serin.observed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.serin.api.v1alpha1.ObservedShare;
import dev.serin.autopilot.analysis.PrometheusAnalysisProvider;
import dev.serin.autopilot.analysis.PrometheusEndpoints;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When Prometheus cannot or may not be asked: no share, a message saying why. */
class ShareProbeTest {
    static final Instant AT = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void aUrlTheAllowListRefusesIsNeverAsked() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            asked.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            PrometheusEndpoints endpoints = new PrometheusEndpoints(Optional.of("http://prometheus.istio-system:9090"),
                    Optional.of(List.of("http://thanos.example")));
            ObservedShare o = new ShareProbe(new PrometheusAnalysisProvider(endpoints))
                    .measure(url, "web", "api", "api-canary", Duration.ofMinutes(1), 100, AT);
            assertNull(o.share);
            assertEquals("Prometheus URL " + url + " is not allowed by serin.analysis.prometheus.allowed", o.message);
            assertEquals("1m", o.window);
            assertEquals(0, asked.get(), "requests to a refused Prometheus");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachablePrometheusGivesNoShare() throws Exception {
        String url = "http://127.0.0.1:" + dev.serin.prometheus.LocalPrometheus.freePort();
        ObservedShare o = new ShareProbe(new PrometheusAnalysisProvider())
                .measure(url, "web", "api", "api-canary", Duration.ofSeconds(30), 100, AT);
        assertNull(o.share);
        assertTrue(o.message.startsWith("cannot reach Prometheus at " + url), o.message);
        assertEquals("30s", o.window);
        assertEquals("2026-11-30T12:00:00Z", o.time);
    }

    @Test
    void rightAfterAWeightChangeItSaysSettlingWithoutAskingPrometheus() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            asked.incrementAndGet();
            ex.sendResponseHeaders(500, -1);
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            ObservedShare o = new ShareProbe(new PrometheusAnalysisProvider())
                    .measure(url, "web", "api", "api-canary", Duration.ofMinutes(1), 100, AT.plusMillis(900),
                            new WeightChange(25.0, AT.toString()));
            assertNull(o.share);
            assertEquals("settling since the weight changed to 25 % at 2026-11-30T12:00:00Z: fewer than 100 requests since",
                    o.message);
            assertEquals(0, asked.get(), "requests to Prometheus for a stretch of no whole second");
        } finally {
            server.stop(0);
        }
    }
}
