package dev.serin.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.TargetRef;
import dev.serin.autopilot.analysis.PrometheusEndpoints;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    /** A fixed answer, or null to answer each query_range with {@link #perSample} at every step. */
    volatile String body;
    /** Requests per sample by workload and window ("shop-canary 1m"), as Prometheus would sum them. */
    final Map<String, Double> perSample = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        prometheus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        prometheus.createContext("/", exchange -> {
            asked.add(exchange.getRequestURI().getPath() + "?" + URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
            byte[] b = (body != null ? body : answer(exchange.getRequestURI().getRawQuery())).getBytes(StandardCharsets.UTF_8);
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
        return new ObservedShareRange(HttpClient.newHttpClient(), endpoints, Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofMinutes(1), 100);
    }

    static final String CREATED = "2026-01-01T10:00:00Z";
    /** Created at 10:00:00, weight 10 applied at 10:00:05, 25 at 10:05:10. */
    static final List<HistoryPoint> RECORDED = List.of(
            new HistoryPoint("2026-01-01T10:00:00Z", 10.0, null, null, "Initializing", null),
            new HistoryPoint("2026-01-01T10:00:05.300Z", 10.0, 10.0, null, "Progressing", "2026-01-01T10:00:05Z"),
            new HistoryPoint("2026-01-01T10:05:00Z", 25.0, 10.0, null, "Progressing", "2026-01-01T10:00:05Z"),
            new HistoryPoint("2026-01-01T10:05:10.200Z", 25.0, 25.0, null, "Progressing", "2026-01-01T10:05:10Z"));

    /**
     * The chart's observed line follows status.observed's rule, with its query: at each 15 s step, the share over the
     * time since the weight last changed (from the next whole second, in whole steps, at most the 1m window), none
     * below 100 requests — so no sample mixes weight 10 and 25.
     */
    @Test
    void theObservedLineIsMeasuredSinceTheWeightChangedWithStatusObservedsQuery() {
        perSample.put("shop-canary 1m", 20.0); // 20 % over full minutes
        perSample.put("shop.v1 1m", 80.0);
        perSample.put("shop-canary 15s", 10.0); // 50 requests in 15 s: too few
        perSample.put("shop.v1 15s", 40.0);
        perSample.put("shop-canary 30s", 30.0); // 30 %
        perSample.put("shop.v1 30s", 70.0);
        perSample.put("shop-canary 45s", 60.0); // 40 %
        perSample.put("shop.v1 45s", 90.0);
        HistoryView view = range(PrometheusEndpoints.ANY).history(canary(url), RECORDED);

        assertEquals("prometheus", view.source());
        assertNull(view.message());
        // one query per workload and window, each the one status.observed sends (PromQl.requests)
        assertEquals(List.of(
                rangeQuery("shop-canary", "15s", "10:00:30", "10:05:30"), rangeQuery("shop.v1", "15s", "10:00:30", "10:05:30"),
                rangeQuery("shop-canary", "30s", "10:00:45", "10:05:45"), rangeQuery("shop.v1", "30s", "10:00:45", "10:05:45"),
                rangeQuery("shop-canary", "45s", "10:01:00", "10:06:00"), rangeQuery("shop.v1", "45s", "10:01:00", "10:06:00"),
                rangeQuery("shop-canary", "1m", "10:00:00", "10:10:00"), rangeQuery("shop.v1", "1m", "10:00:00", "10:10:00")),
                asked);

        Map<String, Double> shares = new TreeMap<>();
        view.points().stream().filter(p -> p.observedShare() != null)
                .forEach(p -> shares.put(p.time().substring(11, 19), p.observedShare()));
        assertEquals(null, shares.get("10:00:15"), "10 s after the change: no whole step yet");
        assertEquals(null, shares.get("10:00:30"), "15 s after: 50 requests, too few");
        assertEquals(30.0, shares.get("10:00:45"));
        assertEquals(40.0, shares.get("10:01:00"));
        assertEquals(20.0, shares.get("10:01:15"));
        assertEquals(20.0, shares.get("10:05:00"));
        assertEquals(null, shares.get("10:05:15"), "5 s after the change to 25");
        assertEquals(null, shares.get("10:05:30"));
        assertEquals(30.0, shares.get("10:05:45"));
        assertEquals(40.0, shares.get("10:06:00"));
        assertEquals(20.0, shares.get("10:10:00"));
        // 1m: 10:00:00 (before any change Serin knows of), 10:01:15 to 10:05:00, 10:06:15 to 10:10:00; 30s, 45s: 2 each
        assertEquals(1 + 16 + 16 + 2 + 2, shares.size(), String.valueOf(shares));

        // each sample beside the weights in force at its time
        assertTrue(view.points().contains(new HistoryPoint("2026-01-01T10:05:45Z", 25.0, 25.0, 30.0, "Progressing",
                "2026-01-01T10:05:10Z")), String.valueOf(view.points()));
        assertTrue(view.points().containsAll(RECORDED), "Serin's own points stay");
    }

    /** The chart spans the Canary's life on a grid of whole steps: every replica asks for the same samples. */
    @Test
    void theRangeStartsAtTheCanarysCreationWhateverThisReplicaRecorded() {
        perSample.put("shop-canary 1m", 20.0);
        perSample.put("shop.v1 1m", 80.0);
        Canary c = canary(url);
        c.getStatus().weightChangedAt = null;
        HistoryView early = range(PrometheusEndpoints.ANY).history(c, List.of(RECORDED.get(0), RECORDED.get(3)));
        List<String> earlyAsked = List.copyOf(asked);
        asked.clear();
        HistoryView late = range(PrometheusEndpoints.ANY).history(c, List.of(RECORDED.get(3)));
        String fullWindow = earlyAsked.get(earlyAsked.size() - 1);
        assertTrue(fullWindow.contains("[1m]") && fullWindow.endsWith("&start=1767261600&end=1767262200&step=15"), fullWindow);
        assertEquals(earlyAsked, asked, "a replica that started at 10:05 asks the same");
        assertEquals(shares(early), shares(late));
        assertTrue(shares(late).size() > 30, String.valueOf(shares(late)));
    }

    private static List<Double> shares(HistoryView view) {
        return view.points().stream().filter(p -> p.observedShare() != null).map(HistoryPoint::observedShare).toList();
    }

    private static String rangeQuery(String workload, String window, String start, String end) {
        return "/api/v1/query_range?query=sum(increase(istio_requests_total{reporter=\"destination\","
                + "destination_workload_namespace=\"web\",destination_workload=\"" + workload + "\"}[" + window + "]))"
                + "&start=" + Instant.parse("2026-01-01T" + start + "Z").getEpochSecond()
                + "&end=" + Instant.parse("2026-01-01T" + end + "Z").getEpochSecond() + "&step=15";
    }

    /** A matrix with {@link #perSample}'s value at every step of the asked range; no series for an unknown query. */
    private String answer(String rawQuery) {
        Map<String, String> params = new HashMap<>();
        for (String pair : rawQuery.split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        Matcher m = Pattern.compile("destination_workload=\"([^\"]+)\"}\\[([0-9a-z]+)]").matcher(params.get("query"));
        Double value = m.find() ? perSample.get(m.group(1) + " " + m.group(2)) : null;
        StringBuilder values = new StringBuilder();
        long step = Long.parseLong(params.get("step"));
        for (long t = Long.parseLong(params.get("start")); value != null && t <= Long.parseLong(params.get("end")); t += step) {
            values.append(values.isEmpty() ? "" : ",").append("[").append(t).append(",\"").append(value).append("\"]");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + (value == null ? "" : "{\"metric\":{},\"values\":[" + values + "]}") + "]}}";
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
        c.setMetadata(new ObjectMetaBuilder().withNamespace("web").withName("shop").withCreationTimestamp(CREATED).build());
        c.setSpec(new CanarySpec());
        c.getSpec().targetRef = new TargetRef("shop.v1");
        c.setStatus(new CanaryStatus());
        c.getStatus().weight = 25.0;
        c.getStatus().weightChangedAt = "2026-01-01T10:05:10Z";
        if (prometheus != null) {
            c.getSpec().autopilot = new AutopilotSpec();
            c.getSpec().autopilot.analysis = new AnalysisSpec();
            c.getSpec().autopilot.analysis.prometheus = prometheus;
        }
        return c;
    }
}
