package dev.serin.autopilot.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.serin.api.v1alpha1.AnalysisSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP side against canned answers from a local stub server (no Prometheus). */
class PrometheusAnalysisProviderTest {
    static final Instant AT = Instant.parse("2025-06-01T12:00:00.750Z");
    static final Duration WINDOW = Duration.ofSeconds(30);

    HttpServer server;
    ExecutorService executor;
    final List<String> paths = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> params = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** A stub whose answer (status, body) depends on the query. */
    String stub(Function<String, Object[]> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            paths.add(ex.getRequestURI().getPath());
            Map<String, String> p = query(ex);
            params.add(p);
            Object[] a = answer.apply(p.get("query"));
            respond(ex, (Integer) a[0], (String) a[1]);
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static Map<String, String> query(HttpExchange ex) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String kv : ex.getRequestURI().getRawQuery().split("&")) {
            int i = kv.indexOf('=');
            p.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
        }
        return p;
    }

    static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    static String vector(String value) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":"
                + "[1748779200.75,\"" + value + "\"]}]}}";
    }

    static AnalysisSpec spec(String url) {
        AnalysisSpec s = new AnalysisSpec();
        s.prometheus = url;
        s.successRate = new AnalysisSpec.Bound();
        s.successRate.min = 99.0;
        s.latencyP99 = new AnalysisSpec.LatencyBound();
        s.latencyP99.maxMs = 500.0;
        return s;
    }

    static AnalysisRequest request(AnalysisSpec spec) {
        return new AnalysisRequest("web", "api-canary", "v2", WINDOW, spec, AT);
    }

    static PrometheusAnalysisProvider provider(Duration timeout) {
        return new PrometheusAnalysisProvider(HttpClient.newBuilder().connectTimeout(timeout).build(), timeout);
    }

    @Test
    void sendsEachQueryWithTheEvaluationTime() throws IOException {
        String url = stub(q -> q.startsWith("histogram_quantile") ? new Object[] {200, vector("+Inf")}
                : q.startsWith("100 *") ? new Object[] {200, vector("99.5")} : new Object[] {200, vector("250")});
        AnalysisOutcome o = new PrometheusAnalysisProvider().analyze(request(spec(url + "/prom/")));

        assertEquals(List.of("/prom/api/v1/query", "/prom/api/v1/query", "/prom/api/v1/query"), paths);
        assertEquals(List.of(PromQl.requests("web", "api-canary", "v2", WINDOW),
                PromQl.successRate("web", "api-canary", "v2", WINDOW),
                PromQl.latencyP99("web", "api-canary", "v2", WINDOW)), params.stream().map(p -> p.get("query")).toList());
        params.forEach(p -> assertEquals("1748779200.75", p.get("time")));

        assertEquals(Verdict.FAIL, o.verdict());
        assertEquals(AT, o.time());
        assertEquals(List.of(250.0, 99.5, Double.POSITIVE_INFINITY),
                o.metrics().stream().map(MetricOutcome::value).toList());
        assertEquals("+Inf ms is above the maximum 500ms", o.metrics().get(2).message());
    }

    @Test
    void unixSecondsKeepMilliseconds() {
        assertEquals("1748779200.75", PrometheusAnalysisProvider.unixSeconds(AT));
        assertEquals("1748779200", PrometheusAnalysisProvider.unixSeconds(Instant.parse("2025-06-01T12:00:00Z")));
        assertEquals("1748779200.001",
                PrometheusAnalysisProvider.unixSeconds(Instant.parse("2025-06-01T12:00:00.001999Z")));
    }

    @Test
    void errorAnswersAreInconclusiveWithTheirMessage() throws IOException {
        String url = stub(q -> q.startsWith("histogram_quantile")
                ? new Object[] {503, "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out\"}"}
                : q.startsWith("100 *") ? new Object[] {502, "<html>Bad Gateway</html>"}
                : new Object[] {200, vector("250")});
        AnalysisOutcome o = new PrometheusAnalysisProvider().analyze(request(spec(url)));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertEquals("HTTP 502 (application/json), not a Prometheus API response", o.metrics().get(1).message());
        assertEquals("Prometheus error (HTTP 503, timeout): query timed out", o.metrics().get(2).message());
    }

    /** SSRF: an HTML page with a secret reaches neither the outcome (status, Events) nor the log. */
    @Test
    void aPageWithASecretNeverReachesTheOutcomeOrTheLog() throws IOException {
        String secret = "SECRET-MARKER-7f3a";
        String url = stub(q -> new Object[] {200, "<html><body>internal admin page " + secret + "</body></html>"});
        List<String> logged = new CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(String.valueOf(r.getMessage()) + " " + java.util.Arrays.toString(r.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(handler);
        AnalysisOutcome o;
        try {
            o = new PrometheusAnalysisProvider().analyze(request(spec(url)));
        } finally {
            root.removeHandler(handler);
        }
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        String everything = o.toString() + " " + o.toRecord() + " "
                + io.fabric8.kubernetes.client.utils.Serialization.asJson(o.toRecord()) + " " + logged;
        assertFalse(everything.contains(secret), everything);
        assertEquals("HTTP 200 (application/json), not a Prometheus API response", o.metrics().get(0).message());
    }

    @Test
    void redirectsAreNotFollowed() throws IOException {
        String url = stub(q -> new Object[] {200, vector("1")});
        HttpServer redirector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        redirector.createContext("/", ex -> {
            ex.getResponseHeaders().set("Location", url + "/api/v1/query?" + ex.getRequestURI().getRawQuery());
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        redirector.start();
        try {
            AnalysisOutcome o = new PrometheusAnalysisProvider(PrometheusEndpoints.ANY)
                    .analyze(request(spec("http://127.0.0.1:" + redirector.getAddress().getPort())));
            assertEquals(Verdict.INCONCLUSIVE, o.verdict());
            assertTrue(paths.isEmpty(), "the redirect's target was asked: " + paths);
            assertTrue(o.metrics().get(0).message().startsWith("HTTP 302"), o.metrics().get(0).message());
        } finally {
            redirector.stop(0);
        }
    }

    @Test
    void aUrlOutsideTheAllowListIsNeverAsked() throws IOException {
        String url = stub(q -> new Object[] {200, vector("1")});
        PrometheusEndpoints endpoints = new PrometheusEndpoints(java.util.Optional.empty(),
                java.util.Optional.of(List.of("http://prometheus.istio-system:9090")));
        AnalysisOutcome o = new PrometheusAnalysisProvider(endpoints).analyze(request(spec(url)));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertTrue(paths.isEmpty(), "asked: " + paths);
    }

    @Test
    void theConfiguredDefaultUrlServesACanaryThatNamesNone() throws IOException {
        String url = stub(q -> new Object[] {200, vector("250")});
        PrometheusEndpoints endpoints = new PrometheusEndpoints(java.util.Optional.of(url + "/prom"),
                java.util.Optional.empty());
        new PrometheusAnalysisProvider(endpoints).analyze(request(spec(null)));
        assertEquals("/prom/api/v1/query", paths.get(0));
    }

    /** The observed share's instant queries keep to the same rule: with no allow-list only the default is asked. */
    @Test
    void withNoAllowListOnlyTheDefaultUrlIsAsked() throws IOException {
        String url = stub(q -> new Object[] {200, vector("1")});
        PrometheusEndpoints onlyDefault = new PrometheusEndpoints(java.util.Optional.of("http://prometheus:9090"),
                java.util.Optional.empty());
        PrometheusAnalysisProvider provider = new PrometheusAnalysisProvider(onlyDefault);
        assertEquals(Verdict.INCONCLUSIVE, provider.analyze(request(spec(url))).verdict());
        QueryResult r = provider.instant(url, "sum(istio_requests_total)", AT);
        assertTrue(r instanceof QueryResult.Failed f && f.message().contains("is not allowed"), r.toString());
        assertTrue(paths.isEmpty(), "asked: " + paths);
    }

    @Test
    void unreachablePrometheusIsInconclusive() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        AnalysisOutcome o = provider(Duration.ofSeconds(2)).analyze(request(spec("http://127.0.0.1:" + port)));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        for (MetricOutcome m : o.metrics()) {
            assertEquals(Verdict.INCONCLUSIVE, m.verdict());
            assertTrue(m.message().startsWith("cannot reach Prometheus at http://127.0.0.1:" + port + ": "),
                    m.message());
        }
        assertEquals("Inconclusive", o.toRecord().result);
    }

    @Test
    void aPrometheusThatDoesNotAnswerTimesOut() throws IOException {
        String url = stub(q -> {
            try {
                release.await(20, TimeUnit.SECONDS); // answers only once the test is over
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Object[] {200, vector("1")};
        });
        AnalysisOutcome o = provider(Duration.ofMillis(300)).analyze(request(spec(url)));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertEquals(1, paths.size(), "the first timeout stops further queries");
        assertEquals("Prometheus at " + url + " did not answer within 300ms", o.metrics().get(0).message());
        assertEquals(o.metrics().get(0).message(), o.metrics().get(2).message());
    }

    @Test
    void missingOrBadUrlIsInconclusive() {
        PrometheusAnalysisProvider p = new PrometheusAnalysisProvider();
        AnalysisOutcome o = p.analyze(request(spec(null)));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertEquals("no Prometheus URL (analysis.prometheus) is set", o.metrics().get(0).message());

        o = p.analyze(request(spec("ftp://prometheus:9090")));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertTrue(o.metrics().get(0).message().startsWith("bad Prometheus URL 'ftp://prometheus:9090'"),
                o.metrics().get(0).message());

        o = p.analyze(request(spec("http://prometheus:9090/?x=1")));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        o = p.analyze(request(spec("http://bad host")));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
    }
}
