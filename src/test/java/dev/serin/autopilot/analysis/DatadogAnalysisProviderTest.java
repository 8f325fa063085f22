package dev.serin.autopilot.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.time.Clock;
import java.time.ZoneOffset;
import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.Compare;
import dev.serin.api.v1alpha1.DatadogSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Datadog provider against a local HTTP server answering with the shapes Datadog documents for
 * {@code POST /api/v2/query/scalar} and {@code /api/v2/query/timeseries}: the exact request Serin sends (path,
 * headers, body, window), data and no data, 403 for a refused key and 429 with {@code X-RateLimit-Reset}.
 */
class DatadogAnalysisProviderTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");
    static final DatadogKeys.Read KEYS = new DatadogKeys.Read(new DatadogApi.Keys("the-api-key", "the-app-key"), null);
    static final String REQUESTS = "sum:istio.mesh.request.count.total{reporter:destination,"
            + "destination_workload_namespace:web,destination_workload:api-canary,destination_version:v2}.as_count()";

    record Seen(String method, String path, Map<String, List<String>> headers, JsonNode body) {
    }

    record Reply(int status, String body, String reset) {
    }

    HttpServer server;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final Deque<Reply> replies = new ArrayDeque<>();
    final List<Duration> slept = new ArrayList<>();
    final Clock clock = Clock.fixed(AT, ZoneOffset.UTC);

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Answers each request with the next reply (the last one repeats). */
    String stub(Reply... answers) throws IOException {
        replies.addAll(List.of(answers));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()),
                    JSON.readTree(ex.getRequestBody())));
            Reply r;
            synchronized (replies) {
                r = replies.size() > 1 ? replies.poll() : replies.peek();
            }
            byte[] b = r.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            if (r.reset() != null) {
                ex.getResponseHeaders().add("X-RateLimit-Reset", r.reset());
            }
            ex.sendResponseHeaders(r.status(), b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    DatadogAnalysisProvider provider(String base) {
        return new DatadogAnalysisProvider(() -> KEYS, "serin-system/serin-datadog", "datadoghq.com",
                Optional.of(base), clock, slept::add);
    }

    static String scalar(String values) {
        return "{\"data\":{\"type\":\"scalar_response\",\"attributes\":{\"columns\":[{\"name\":\"a\",\"type\":\"number\","
                + "\"values\":" + values + ",\"meta\":{\"unit\":null}}]}}}";
    }

    static String timeseries(String values) {
        return "{\"data\":{\"type\":\"timeseries_response\",\"attributes\":{\"series\":[{\"group_tags\":[],"
                + "\"query_index\":0,\"unit\":null}],\"times\":[1748779200000],\"values\":" + values + "}}}";
    }

    static AnalysisSpec spec() {
        AnalysisSpec s = new AnalysisSpec();
        s.datadog = new DatadogSpec();
        s.minRequests = 50;
        return s;
    }

    DatadogAnalysisProvider provider;

    AnalysisOutcome analyze(AnalysisSpec spec) {
        if (provider == null) {
            provider = provider(base);
        }
        return provider.analyze(new AnalysisRequest("web", "api-canary", "v2", Duration.ofMinutes(5), spec, AT,
                "api"));
    }

    String base;

    @Test
    void aScalarQueryIsThePostDatadogDocuments() throws IOException {
        base = stub(new Reply(200, scalar("[1234.0]"), null), new Reply(200, scalar("[0.25]"), null));
        AnalysisSpec s = spec();
        AnalysisSpec.Query q = new AnalysisSpec.Query();
        q.name = "errors";
        q.query = "avg:trace.http.request.errors{kube_deployment:{{workload}},kube_namespace:{{namespace}}}";
        q.max = 1.0;
        s.queries = List.of(q);
        AnalysisOutcome o = analyze(s);
        assertEquals(Verdict.PASS, o.verdict(), o.summary());
        assertEquals(1234.0, o.metrics().get(0).value());
        assertEquals(0.25, o.metrics().get(1).value());

        Seen first = seen.get(0);
        assertEquals("POST", first.method());
        assertEquals("/api/v2/query/scalar", first.path());
        assertEquals(List.of("the-api-key"), first.headers().get("Dd-api-key"));
        assertEquals(List.of("the-app-key"), first.headers().get("Dd-application-key"));
        assertEquals(List.of("application/json"), first.headers().get("Content-type"));
        long to = AT.minusSeconds(10).toEpochMilli(); // one rollup (the judge's step, 10s) before now
        assertEquals(JSON.readTree("{\"data\":{\"type\":\"scalar_request\",\"attributes\":{\"from\":" + (to - 300_000)
                + ",\"to\":" + to + ",\"queries\":[{\"data_source\":\"metrics\",\"name\":\"a\",\"query\":\"" + REQUESTS
                + "\",\"aggregator\":\"sum\"}],\"formulas\":[{\"formula\":\"a\"}]}}}"), first.body());
        assertEquals("avg:trace.http.request.errors{kube_deployment:api-canary,kube_namespace:web}",
                seen.get(1).body().at("/data/attributes/queries/0/query").asText());
        assertEquals("avg", seen.get(1).body().at("/data/attributes/queries/0/aggregator").asText());
    }

    @Test
    void noDataIsInconclusiveNotZero() throws IOException {
        base = stub(new Reply(200, scalar("[]"), null));
        AnalysisOutcome o = analyze(spec());
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        MetricOutcome requests = o.metrics().get(0);
        assertNull(requests.value(), "not 0");
        assertEquals("no data: Datadog has no data for the query in the window", requests.message());

        seen.clear();
        replies.clear();
        replies.add(new Reply(200, scalar("[null]"), null));
        assertEquals(Verdict.INCONCLUSIVE, analyze(spec()).verdict());
    }

    @Test
    void compareModeAsksTimeseriesForEachSideInBucketsOfTheStep() throws IOException {
        StringBuilder slow = new StringBuilder("[[");
        StringBuilder fast = new StringBuilder("[[");
        for (int i = 0; i < 30; i++) {
            slow.append(i == 0 ? "" : ",").append(i == 7 ? "null" : String.valueOf(130 + i % 5));
            fast.append(i == 0 ? "" : ",").append(100 + i % 5);
        }
        base = stub(new Reply(200, scalar("[900]"), null), new Reply(200, timeseries(slow + "]]"), null),
                new Reply(200, timeseries(fast + "]]"), null));
        AnalysisSpec s = spec();
        AnalysisSpec.Query q = new AnalysisSpec.Query();
        q.name = "latency";
        q.query = "p99:trace.http.request.duration{kube_deployment:{{workload}}}";
        q.compare = new Compare();
        q.compare.direction = Compare.Direction.INCREASE;
        s.queries = List.of(q);
        AnalysisOutcome o = analyze(s);
        assertEquals(Verdict.FAIL, o.verdict(), o.summary());
        AnalysisRecord.MetricValue latency = o.toRecord().metrics.get(1);
        assertEquals("High", latency.classification);
        assertEquals(29, latency.canarySamples, "the null bucket is dropped");
        assertEquals(30, latency.stableSamples);

        assertEquals("/api/v2/query/timeseries", seen.get(1).path());
        long to = AT.minusSeconds(10).toEpochMilli();
        assertEquals(JSON.readTree("{\"data\":{\"type\":\"timeseries_request\",\"attributes\":{\"from\":" + (to - 300_000)
                + ",\"to\":" + to + ",\"interval\":10000,\"queries\":[{\"data_source\":\"metrics\",\"name\":\"a\","
                + "\"query\":\"p99:trace.http.request.duration{kube_deployment:api-canary}\"}],\"formulas\":"
                + "[{\"formula\":\"a\"}]}}}"), seen.get(1).body());
        assertEquals("p99:trace.http.request.duration{kube_deployment:api}",
                seen.get(2).body().at("/data/attributes/queries/0/query").asText());

        // no series at all: too few samples, inconclusive
        seen.clear();
        replies.clear();
        replies.addAll(List.of(new Reply(200, scalar("[900]"), null), new Reply(200, timeseries("[]"), null)));
        AnalysisOutcome empty = analyze(s);
        assertEquals(Verdict.INCONCLUSIVE, empty.verdict());
        assertEquals("too few samples: canary 0, stable 0; at least 20 each needed to judge",
                empty.metrics().get(1).message());
    }

    @Test
    void aRefusedKeySaysSoWithoutTheBody() throws IOException {
        base = stub(new Reply(403, "{\"errors\":[\"Forbidden: secret-detail-7\"]}", null));
        AnalysisOutcome o = analyze(spec());
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        String message = o.metrics().get(0).message();
        assertEquals("Datadog refused the keys (HTTP 403): the API key or the application key is wrong, or the"
                + " application key lacks the timeseries_query scope (Secret serin-system/serin-datadog)", message);
        assertFalse(o.summary().contains("secret-detail-7"));
    }

    @Test
    void aRateLimitWaitsTheSecondsOfXRateLimitReset() throws IOException {
        base = stub(new Reply(429, "{\"errors\":[\"Too many requests\"]}", "2"), new Reply(200, scalar("[75]"), null));
        AnalysisOutcome o = analyze(spec());
        assertEquals(List.of(Duration.ofSeconds(2)), slept);
        assertEquals(2, seen.size(), "sent again after the wait");
        assertEquals(75.0, o.metrics().get(0).value());

        // a reset longer than the wait an analysis can afford: nothing is sent to Datadog until it has passed
        seen.clear();
        replies.clear();
        replies.addAll(List.of(new Reply(429, "{}", "60"), new Reply(200, scalar("[75]"), null)));
        AnalysisOutcome limited = analyze(spec());
        assertEquals(Verdict.INCONCLUSIVE, limited.verdict());
        assertEquals("Datadog's rate limit: the next query in 60s (X-RateLimit-Reset)",
                limited.metrics().get(0).message());
        assertEquals(1, seen.size());
        assertEquals(Verdict.INCONCLUSIVE, analyze(spec()).verdict());
        assertEquals(1, seen.size(), "the next analysis before the reset sends nothing");
    }

    @Test
    void theApiIsAtApiDotTheSite() {
        assertEquals(URI.create("https://api.datadoghq.com"), DatadogApi.siteUrl(DatadogSpec.Site.US1));
        assertEquals(URI.create("https://api.us3.datadoghq.com"), DatadogApi.siteUrl(DatadogSpec.Site.US3));
        assertEquals(URI.create("https://api.us5.datadoghq.com"), DatadogApi.siteUrl(DatadogSpec.Site.US5));
        assertEquals(URI.create("https://api.datadoghq.eu"), DatadogApi.siteUrl(DatadogSpec.Site.EU1));
        assertEquals(URI.create("https://api.ap1.datadoghq.com"), DatadogApi.siteUrl(DatadogSpec.Site.AP1));
        assertEquals(URI.create("https://api.ap2.datadoghq.com"), DatadogApi.siteUrl(DatadogSpec.Site.AP2));
        assertEquals(URI.create("https://api.ddog-gov.com"), DatadogApi.siteUrl(DatadogSpec.Site.GOV));

        DatadogAnalysisProvider eu = new DatadogAnalysisProvider(() -> KEYS, "x", "datadoghq.eu", Optional.empty(),
                clock, slept::add);
        assertEquals(URI.create("https://api.datadoghq.eu"), eu.base(null), "serin.analysis.datadog.site");
        assertEquals(URI.create("https://api.us5.datadoghq.com"), eu.base(DatadogSpec.Site.US5), "the Canary's site");
        DatadogAnalysisProvider bad = new DatadogAnalysisProvider(() -> KEYS, "x", "evil.example", Optional.empty(),
                clock, slept::add);
        AnalysisOutcome o = bad.analyze(new AnalysisRequest("web", "api-canary", "v2", Duration.ofMinutes(5), spec(), AT));
        assertEquals("serin.analysis.datadog.site evil.example is not one of Datadog's documented sites",
                o.metrics().get(0).message());
    }

    @Test
    void missingKeysAreInconclusiveWithWhereToPutThem() {
        DatadogAnalysisProvider none = new DatadogAnalysisProvider(() -> new DatadogKeys.Read(null,
                "Secret serin-system/serin-datadog not found: create it with the keys api-key and app-key"), "x",
                "datadoghq.com", Optional.of("http://127.0.0.1:9"), clock, slept::add);
        AnalysisOutcome o = none.analyze(new AnalysisRequest("web", "api-canary", "v2", Duration.ofMinutes(5), spec(),
                AT));
        assertEquals(Verdict.INCONCLUSIVE, o.verdict());
        assertTrue(o.summary().contains("Secret serin-system/serin-datadog not found"), o.summary());
    }
}
