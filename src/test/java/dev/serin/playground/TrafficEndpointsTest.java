package dev.serin.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.serin.api.v1alpha1.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The traffic view's HTTP side with routes set by hand the way Serin writes them (no Serin runs): a Canary of
 * demo/shop at 10 %, stable 90 / canary 10 over subsets. What a Prometheus scraping {@code /metrics} would count, and
 * what {@code POST /playground/faults} changes.
 */
class TrafficEndpointsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TICKS = 20;
    private static final int PER_TICK = 1000;

    private ApiServer api;
    private KubernetesClient client;
    private TrafficView view;
    private HttpServer server;
    private String base;

    @BeforeEach
    void start() throws Exception {
        api = new ApiServer().start(0);
        client = api.client();
        DemoSeed.seed(client);
        Deployment canaryPods = new DeploymentBuilder(client.apps().deployments().inNamespace("demo").withName("shop").get())
                .editMetadata().withName("shop-canary").withResourceVersion(null).withUid(null).endMetadata()
                .editSpec().withReplicas(4).editTemplate().editMetadata().addToLabels("version", "v2").endMetadata()
                .endTemplate().endSpec().withStatus(null).build();
        client.apps().deployments().inNamespace("demo").resource(canaryPods).create();
        new ReadyReplicas(client, Duration.ZERO, Clock.systemUTC()).tick();
        client.genericKubernetesResources(DemoSeed.ISTIO.destinationRules()).inNamespace("demo").withName("shop")
                .edit(dr -> withSpec(dr, Map.of("host", "shop", "subsets", List.of(
                        Map.of("name", "stable", "labels", Map.of("version", "v1")),
                        Map.of("name", "canary", "labels", Map.of("version", "v2"))))));
        client.genericKubernetesResources(DemoSeed.ISTIO.virtualServices()).inNamespace("demo").withName("shop")
                .edit(vs -> withSpec(vs, Map.of("hosts", List.of("shop"), "http", List.of(Map.of("route", List.of(
                        Map.of("destination", Map.of("host", "shop", "subset", "stable"), "weight", 90),
                        Map.of("destination", Map.of("host", "shop", "subset", "canary"), "weight", 10)))))));
        client.resources(Canary.class).inNamespace("demo").resource(Serialization.unmarshal("""
                apiVersion: serin.dev/v1alpha1
                kind: Canary
                metadata: {name: shop, namespace: demo}
                spec:
                  targetRef: {name: shop}
                  weight: 10
                  canary:
                    version: v2
                    containers: [{name: app, image: "registry.example/shop:v2"}]
                """, Canary.class)).create();
        view = new TrafficView(client, new Random(11), PER_TICK);
        server = view.serve(0);
        base = "http://localhost:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        api.close();
    }

    @Test
    void metricsCountWhatTheRoutesSentAsIstiosDestinationSidecarsWould() throws Exception {
        for (int i = 0; i < TICKS; i++) {
            view.tick();
        }
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
        String body = r.body();
        assertTrue(body.contains("# TYPE istio_requests_total counter"), body);
        assertTrue(body.contains("# TYPE istio_request_duration_milliseconds histogram"), body);

        Map<String, String> stable = labels(body, "istio_requests_total", "shop", "200");
        assertEquals("destination", stable.get("reporter"));
        assertEquals("demo", stable.get("destination_workload_namespace"));
        assertEquals("v1", stable.get("destination_version"));
        assertEquals("shop", stable.get("destination_app"));
        assertEquals("shop", stable.get("destination_service_name"));
        assertEquals("demo", stable.get("destination_service_namespace"));
        assertEquals("shop.demo.svc.cluster.local", stable.get("destination_service"));
        assertTrue(stable.containsKey("source_workload"), stable.toString());
        assertEquals("v2", labels(body, "istio_requests_total", "shop-canary", "200").get("destination_version"));

        long stableCount = value(body, "istio_requests_total", "shop", "200");
        long canaryCount = value(body, "istio_requests_total", "shop-canary", "200");
        assertEquals(TICKS * PER_TICK, stableCount + canaryCount);
        // binomial(20,000, 10 %): standard deviation 42; the band is about 5 of them either side
        assertTrue(canaryCount >= 1800 && canaryCount <= 2200, "canary got " + canaryCount + " of 20,000");
        // no faults: the canary's 5xx series exists (at 0, so Prometheus' increase() sees the first ones)
        assertEquals(0, value(body, "istio_requests_total", "shop-canary", "503"));

        // the histogram: every request in +Inf, _count equal to the counter, buckets cumulative
        assertEquals(canaryCount, value(body, "istio_request_duration_milliseconds_count", "shop-canary", "200"));
        assertEquals(canaryCount, bucket(body, "shop-canary", "+Inf"));
        long le10 = bucket(body, "shop-canary", "10");
        long le100 = bucket(body, "shop-canary", "100");
        assertTrue(le10 > 0 && le10 < le100 && le100 <= canaryCount, le10 + " " + le100 + " " + canaryCount);
    }

    @Test
    void faultsMakeTheCanaryAnswer503AtTheRateGivenUntilCleared() throws Exception {
        HttpResponse<String> set = post("/playground/faults", "{\"canaryErrorRate\": 0.3}");
        assertEquals(200, set.statusCode(), set.body());
        assertEquals(0.3, JSON.readTree(set.body()).path("canaryErrorRate").asDouble());
        assertEquals(0.3, JSON.readTree(get("/playground/faults").body()).path("canaryErrorRate").asDouble());
        for (int i = 0; i < TICKS; i++) {
            view.tick();
        }
        String body = get("/metrics").body();
        long ok = value(body, "istio_requests_total", "shop-canary", "200");
        long failed = value(body, "istio_requests_total", "shop-canary", "503");
        double rate = failed / (double) (ok + failed);
        // about 2,000 canary requests: 30 % with a standard deviation near 1 point
        assertTrue(rate > 0.25 && rate < 0.35, failed + " of " + (ok + failed) + " answered 503");
        assertTrue(Pattern.compile("destination_workload=\"shop\",[^}]*response_code=\"503\"").matcher(body).results()
                .findAny().isEmpty(), "the stable pods are healthy: no 503 series");
        JsonNode traffic = JSON.readTree(get("/playground/traffic").body());
        assertEquals(0.3, traffic.path("faults").path("canaryErrorRate").asDouble());
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        view.print(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8), "hint");
        assertTrue(printed.toString(java.nio.charset.StandardCharsets.UTF_8).contains("demo/shop: canary"), printed::toString);

        assertEquals(200, post("/playground/faults", "{\"canaryErrorRate\": 0}").statusCode());
        for (int i = 0; i < TICKS; i++) {
            view.tick();
        }
        assertEquals(failed, value(get("/metrics").body(), "istio_requests_total", "shop-canary", "503"),
                "no 503 once cleared");
    }

    @Test
    void aLatencyFactorMakesTheCanarysRequestsThatMuchSlowerInIstiosHistogramUntilCleared() throws Exception {
        HttpResponse<String> set = post("/playground/faults", "{\"canaryLatencyFactor\": 1.3}");
        assertEquals(200, set.statusCode(), set.body());
        assertEquals(1.3, JSON.readTree(set.body()).path("canaryLatencyFactor").asDouble());
        assertEquals(0.0, JSON.readTree(set.body()).path("canaryErrorRate").asDouble(), "the other fault stays as it was");
        assertEquals(1.3, JSON.readTree(get("/playground/traffic").body()).path("faults").path("canaryLatencyFactor")
                .asDouble());
        for (int i = 0; i < TICKS; i++) {
            view.tick();
        }
        String body = get("/metrics").body();
        // mean latency from the histogram's _sum / _count: 20 ms for stable (18,000 requests), 26 ms for the canary
        // (2,000: standard error about 0.3 ms)
        assertEquals(20, meanMillis(body, "shop"), 0.5);
        assertEquals(26, meanMillis(body, "shop-canary"), 1.2);
        assertEquals(0, value(body, "istio_requests_total", "shop-canary", "503"), "slower, not failing");

        assertEquals(200, post("/playground/faults", "{\"canaryLatencyFactor\": 1}").statusCode());
        for (int i = 0; i < TICKS; i++) {
            view.tick();
        }
        String after = get("/metrics").body();
        double sum = decimal(after, "istio_request_duration_milliseconds_sum", "shop-canary", "200")
                - decimal(body, "istio_request_duration_milliseconds_sum", "shop-canary", "200");
        double count = value(after, "istio_request_duration_milliseconds_count", "shop-canary", "200")
                - value(body, "istio_request_duration_milliseconds_count", "shop-canary", "200");
        assertEquals(20, sum / count, 1, "as fast as stable once cleared");
    }

    @Test
    void aCanaryAnnotatedWithALatencyFactorAnswersThatMuchSlowerWithoutAnyFault() throws Exception {
        client.apps().deployments().inNamespace("demo").withName("shop-canary").edit(d -> new DeploymentBuilder(d)
                .editSpec().editTemplate().editMetadata()
                .addToAnnotations(TrafficSimulator.LATENCY_FACTOR_ANNOTATION, "1.3").endMetadata().endTemplate()
                .endSpec().build());
        for (int i = 0; i < TICKS; i++) {
            view.tick();
        }
        String body = get("/metrics").body();
        assertEquals(20, meanMillis(body, "shop"), 0.5);
        assertEquals(26, meanMillis(body, "shop-canary"), 1.2);
        assertEquals(1.0, JSON.readTree(get("/playground/faults").body()).path("canaryLatencyFactor").asDouble());
    }

    private static double meanMillis(String metrics, String workload) {
        return decimal(metrics, "istio_request_duration_milliseconds_sum", workload, "200")
                / (double) value(metrics, "istio_request_duration_milliseconds_count", workload, "200");
    }

    @Test
    void aWrongFaultsDocumentIsRefusedAndChangesNothing() throws Exception {
        for (String wrong : List.of("{\"canaryErrorRate\": 1.5}", "{\"canaryErrorRate\": \"lots\"}", "{\"errorRate\": 0.3}",
                "0.3", "not json", "{}")) {
            HttpResponse<String> r = post("/playground/faults", wrong);
            assertEquals(400, r.statusCode(), wrong + " -> " + r.body());
            assertTrue(JSON.readTree(r.body()).path("error").asText().contains("canaryErrorRate"), r.body());
        }
        // a document with one wrong field changes nothing, not even its valid one
        for (String wrong : List.of("{\"canaryLatencyFactor\": 0}", "{\"canaryLatencyFactor\": 11}",
                "{\"canaryLatencyFactor\": \"slow\"}", "{\"canaryErrorRate\": 0.3, \"canaryLatencyFactor\": 0}",
                "{\"canaryErrorRate\": 2, \"canaryLatencyFactor\": 1.3}")) {
            HttpResponse<String> r = post("/playground/faults", wrong);
            assertEquals(400, r.statusCode(), wrong + " -> " + r.body());
            assertTrue(JSON.readTree(r.body()).path("error").asText().startsWith("canary"), r.body());
        }
        JsonNode faults = JSON.readTree(get("/playground/faults").body());
        assertEquals(0.0, faults.path("canaryErrorRate").asDouble());
        assertEquals(1.0, faults.path("canaryLatencyFactor").asDouble());
    }

    @Test
    void theViewShowsTheObservedShareFromTheCanarysStatusWhenThereIsOne() throws Exception {
        view.tick();
        JsonNode row = JSON.readTree(get("/playground/traffic").body()).path("canaries").path(0);
        assertTrue(row.path("observedShare").isNull(), "no status.observed yet: " + row);

        // status.observed is written by Serin; set here as plain JSON (the view must not depend on the Java type)
        GenericKubernetesResource canary = client.genericKubernetesResources("serin.dev/v1alpha1", "Canary")
                .inNamespace("demo").withName("shop").get();
        canary.setAdditionalProperty("status", Map.of("weight", 10, "phase", "Progressing",
                "observed", Map.of("share", 9.87, "requests", 20000, "window", "1m")));
        client.genericKubernetesResources("serin.dev/v1alpha1", "Canary").inNamespace("demo").resource(canary)
                .updateStatus();
        view.tick();
        row = JSON.readTree(get("/playground/traffic").body()).path("canaries").path(0);
        assertEquals(9.87, row.path("observedShare").asDouble(), row.toString());
        assertEquals(10.0, row.path("statusWeight").asDouble(), row.toString());
    }

    // --- helpers ---

    private static GenericKubernetesResource withSpec(GenericKubernetesResource r, Map<String, Object> spec) {
        r.setAdditionalProperty("spec", new HashMap<>(spec));
        return r;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)\\{([^}]*)} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The labels of the sample of this metric for this workload and code. */
    private static Map<String, String> labels(String body, String metric, String workload, String code) {
        Matcher m = SAMPLE.matcher(body);
        while (m.find()) {
            Map<String, String> labels = parse(m.group(2));
            if (m.group(1).equals(metric) && workload.equals(labels.get("destination_workload"))
                    && code.equals(labels.get("response_code"))) {
                return labels;
            }
        }
        throw new AssertionError("no " + metric + " for " + workload + " code " + code + " in:\n" + body);
    }

    private static long value(String body, String metric, String workload, String code) {
        return (long) decimal(body, metric, workload, code);
    }

    private static double decimal(String body, String metric, String workload, String code) {
        Matcher m = SAMPLE.matcher(body);
        while (m.find()) {
            Map<String, String> labels = parse(m.group(2));
            if (m.group(1).equals(metric) && workload.equals(labels.get("destination_workload"))
                    && code.equals(labels.get("response_code"))) {
                return Double.parseDouble(m.group(3));
            }
        }
        throw new AssertionError("no " + metric + " for " + workload + " code " + code + " in:\n" + body);
    }

    private static long bucket(String body, String workload, String le) {
        Matcher m = SAMPLE.matcher(body);
        while (m.find()) {
            Map<String, String> labels = parse(m.group(2));
            if (m.group(1).equals("istio_request_duration_milliseconds_bucket")
                    && workload.equals(labels.get("destination_workload")) && "200".equals(labels.get("response_code"))
                    && le.equals(labels.get("le"))) {
                return Long.parseLong(m.group(3));
            }
        }
        throw new AssertionError("no bucket le=" + le + " for " + workload + " in:\n" + body);
    }

    private static Map<String, String> parse(String labels) {
        Map<String, String> out = new HashMap<>();
        Matcher m = LABEL.matcher(labels);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }
}
