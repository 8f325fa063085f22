package dev.serin.autopilot.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.sun.net.httpserver.HttpServer;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.Compare;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Compare mode's range queries against a local stub: the exact request, and the matrix answer read per series. */
class PrometheusRangeTest {
    static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");

    HttpServer server;
    final List<String> paths = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> params = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    String stub(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            paths.add(ex.getRequestURI().getPath());
            Map<String, String> p = new LinkedHashMap<>();
            for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
                String[] pair = kv.split("=", 2);
                p.put(pair[0], URLDecoder.decode(pair[1], StandardCharsets.UTF_8));
            }
            params.add(p);
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static AnalysisSpec latencyCompared(String prometheus) {
        AnalysisSpec s = new AnalysisSpec();
        s.prometheus = prometheus;
        s.latencyP99 = new AnalysisSpec.LatencyBound();
        s.latencyP99.compare = new Compare();
        return s;
    }

    @Test
    void asksQueryRangeOverTheWindowAtTheStepAndReadsEachSeries() throws IOException {
        String base = stub(200, """
                {"status":"success","data":{"resultType":"matrix","result":[
                  {"metric":{"pod":"api-canary-1"},"values":[[1748779170,"101.5"],[1748779180,"NaN"],[1748779190,"99"]]},
                  {"metric":{"pod":"api-canary-2"},"values":[[1748779190,"+Inf"]]}]}}""");
        AnalysisOutcome o = new PrometheusAnalysisProvider().analyze(new AnalysisRequest("web", "api-canary", "v2",
                Duration.ofMinutes(5), latencyCompared(base), AT, "api"));
        // requests (instant), then latencyP99 for the canary and for stable (range)
        assertEquals(List.of("/api/v1/query", "/api/v1/query_range", "/api/v1/query_range"), paths);
        Map<String, String> canary = params.get(1);
        assertEquals(ComparePromQl.latencyP99("web", "api-canary", "v2", Duration.ofSeconds(10)), canary.get("query"));
        assertEquals(String.valueOf(AT.getEpochSecond() - 300 + 10), canary.get("start"),
                "the first sample covers the window's first step");
        assertEquals(String.valueOf(AT.getEpochSecond()), canary.get("end"));
        assertEquals("10", canary.get("step"));
        assertEquals(ComparePromQl.latencyP99("web", "api", null, Duration.ofSeconds(10)), params.get(2).get("query"));
        MetricOutcome p99 = o.metrics().get(1);
        assertEquals(2, p99.judgement().canarySamples(), "NaN and +Inf dropped");
    }

    @Test
    void readsAMatrixAndReportsErrorsWithoutTheBody() {
        RangeResult r = PrometheusResponses.parseRange(200, "application/json", """
                {"status":"success","data":{"resultType":"matrix","result":[
                  {"metric":{},"values":[[1,"1"],[2,"NaN"]]},{"metric":{"pod":"b"},"values":[]}]}}""");
        RangeResult.Series s = assertInstanceOf(RangeResult.Series.class, r);
        assertEquals(2, s.series().size());
        assertArrayEquals(new double[] {1, Double.NaN}, s.samples());

        assertEquals(new RangeResult.Failed("Prometheus error (HTTP 400, bad_data): parse error at char 4", false),
                PrometheusResponses.parseRange(400, "application/json",
                        "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 4\"}"));
        assertEquals(new RangeResult.Failed("HTTP 502 (text/html), not a Prometheus API response", false),
                PrometheusResponses.parseRange(502, "text/html", "<html>secret</html>"));
        assertEquals(new RangeResult.Failed("range query returned a vector result, not a matrix", false),
                PrometheusResponses.parseRange(200, "application/json",
                        "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
    }
}
