package dev.serin.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.TargetRef;
import dev.serin.autopilot.analysis.PrometheusEndpoints;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The history's observed share from a Prometheus (here a stand-in answering query_range) merged with Serin's points. */
class ObservedShareRangeTest {
    static final Instant NOW = Instant.parse("2026-01-01T10:10:00Z");

    HttpServer prometheus;
    String url;
    final List<String> asked = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String body;

    @BeforeEach
    void start() throws Exception {
        prometheus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        prometheus.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().getPath() + "?" + URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, b.length);
            exchange.getResponseBody().write(b);
            exchange.close();
        });
        prometheus.start();
        url = "http://127.0.0.1:" + prometheus.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        prometheus.stop(0);
    }

    ObservedShareRange range(PrometheusEndpoints endpoints) {
        return new ObservedShareRange(HttpClient.newHttpClient(), endpoints, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static final List<HistoryPoint> RECORDED = List.of(
            new HistoryPoint("2026-01-01T10:00:00Z", 10.0, 0.0, null, "Progressing"),
            new HistoryPoint("2026-01-01T10:00:05Z", 10.0, 10.0, null, "Progressing"));

    @Test
    void observedShareOverTimeBesideTheWeightsInForce() {
        body = """
                {"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[
                  [1767261600,"5"],[1767261615,"19.876"],[1767261630,"NaN"]]}]}}""";
        HistoryView view = range(PrometheusEndpoints.ANY).history(canary(url), RECORDED);

        assertEquals("prometheus", view.source());
        assertNull(view.message());
        assertEquals(1, asked.size());
        String q = asked.get(0);
        assertTrue(q.startsWith("/api/v1/query_range?query=100 * sum(rate(istio_requests_total{reporter=\"destination\","
                + "destination_workload_namespace=\"web\",destination_workload=\"shop-canary\"}[1m])) / "
                + "sum(rate(istio_requests_total{reporter=\"destination\",destination_workload_namespace=\"web\","
                + "destination_workload=~\"shop\\\\.v1|shop-canary\"}[1m]))&start=1767261600&end=1767262200&step=15"), q);
        assertEquals(List.of(
                new HistoryPoint("2026-01-01T10:00:00Z", 10.0, 0.0, null, "Progressing"),
                new HistoryPoint("2026-01-01T10:00:00Z", 10.0, 0.0, 5.0, "Progressing"),
                new HistoryPoint("2026-01-01T10:00:05Z", 10.0, 10.0, null, "Progressing"),
                new HistoryPoint("2026-01-01T10:00:15Z", 10.0, 10.0, 19.88, "Progressing")), view.points());
    }

    @Test
    void withoutPrometheusOrWhenItFailsSerinsOwnPoints() {
        body = "<html>oops</html>";
        HistoryView none = range(PrometheusEndpoints.ANY).history(canary(null), RECORDED);
        assertEquals(new HistoryView("serin", RECORDED, null), none);

        status = 503;
        HistoryView failed = range(PrometheusEndpoints.ANY).history(canary(url), RECORDED);
        assertEquals("serin", failed.source());
        assertEquals(RECORDED, failed.points());
        assertEquals("Prometheus at " + url + " answered HTTP 503", failed.message());

        status = 200;
        assertEquals("Prometheus at " + url + " gave an answer that is not a range answer",
                range(PrometheusEndpoints.ANY).history(canary(url), RECORDED).message());

        int before = asked.size();
        PrometheusEndpoints elsewhere = new PrometheusEndpoints(Optional.empty(), Optional.of(List.of("http://prometheus.example")));
        HistoryView refused = range(elsewhere).history(canary(url), RECORDED);
        assertEquals("serin", refused.source());
        assertTrue(refused.message().contains("not allowed"), refused.message());
        assertEquals(before, asked.size(), "a Prometheus the allow-list does not admit is never asked");
    }

    private static Canary canary(String prometheus) {
        Canary c = new Canary();
        c.setMetadata(new ObjectMetaBuilder().withNamespace("web").withName("shop").build());
        c.setSpec(new CanarySpec());
        c.getSpec().targetRef = new TargetRef("shop.v1");
        if (prometheus != null) {
            c.getSpec().autopilot = new AutopilotSpec();
            c.getSpec().autopilot.analysis = new AnalysisSpec();
            c.getSpec().autopilot.analysis.prometheus = prometheus;
        }
        return c;
    }
}
