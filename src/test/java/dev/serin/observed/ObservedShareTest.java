package dev.serin.observed;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.serin.prometheus.LocalPrometheus;
import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.ObservedShare;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * status.observed from a real Prometheus (Debian's {@code prometheus}, a child process of the test) scraping
 * Istio-shaped request counters once a second from {@link IstioTraffic}, whose traffic deliberately disagrees with the
 * weights: at weight 10 the canary workload gets 10 of every 50 requests, 20 %. Window 30s, minimum 100 requests,
 * measured every second (serin.observed.*), Prometheus from serin.analysis.prometheus.url.
 *
 * <p>Tolerance ±2 points: Prometheus' increase() extrapolates each series to the window's edges on its own; the two
 * workloads are scraped together so their ratio survives that, up to whole scrapes at the edges. The weight (10) is
 * 10 points away, so the check still tells measured from derived.
 */
@QuarkusTest
@WithStrictApiServer
@TestProfile(ObservedShareTest.Profile.class)
class ObservedShareTest {
    static final Duration DEADLINE = Duration.ofSeconds(60);
    static final String EXTERNAL_URL = "https://serin.example";
    static IstioTraffic traffic;
    static LocalPrometheus prometheus;

    /** Starts the traffic and Prometheus once, before Quarkus reads the configuration that names it. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(Map.of(
                    "serin.observed.window", "30s",
                    "serin.observed.min-requests", "100",
                    "serin.observed.interval", "1s",
                    "serin.ui.external-url", EXTERNAL_URL));
            startPrometheus().ifPresent(url -> config.put("serin.analysis.prometheus.url", url));
            return config;
        }
    }

    static synchronized Optional<String> startPrometheus() {
        if (prometheus == null && LocalPrometheus.binary().isPresent()) {
            try {
                traffic = new IstioTraffic();
                prometheus = LocalPrometheus.start(LocalPrometheus.binary().get(),
                        LocalPrometheus.scrapeEverySecond("istio-sidecars", traffic.target()),
                        java.nio.file.Files.createTempDirectory("serin-prometheus-"));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start Prometheus", e);
            }
        }
        return Optional.ofNullable(prometheus).map(LocalPrometheus::url);
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
            prometheus = null;
        }
        if (traffic != null) {
            traffic.close();
            traffic = null;
        }
    }

    @Strict
    KubernetesClient client;

    @BeforeEach
    void needsPrometheus() {
        assumeTrue(prometheus != null, LocalPrometheus.NOT_FOUND);
    }

    @Test
    void theStatusShowsTheShareTheCanaryReallyGetsNotTheWeight() {
        Fixture f = new Fixture(client).service("api", 4);
        traffic.receive(f.namespace, Map.of("api", 40L, "api-canary", 10L));
        f.create(f.canary("api", "api", 10, "v2"));
        f.markReady("api-canary");

        await().atMost(DEADLINE).until(() -> share(f) != null);
        ObservedShare o = f.getCanary("api").getStatus().observed;
        System.out.printf("ObservedShareTest: weight 10, observed share %s of %d requests in %s%n", o.share, o.requests,
                o.window);
        assertEquals(20.0, o.share, 2.0, "measured share");
        assertEquals(10.0, f.getCanary("api").getStatus().weight, "the weight written is still 10");
        assertTrue(o.requests >= 100, "requests " + o.requests);
        assertEquals("30s", o.window);
        assertNull(o.message);
        assertTrue(Instant.parse(o.time).isAfter(Instant.now().minusSeconds(60)), o.time);
        assertEquals(EXTERNAL_URL + "/ui/#" + f.namespace + "/api", f.getCanary("api").getStatus().dashboardUrl);

        var rest = given().get("/api/v1/namespaces/{ns}/canaries/api", f.namespace).then().statusCode(200)
                .body("observed.window", equalTo("30s"))
                .body("dashboardUrl", equalTo(EXTERNAL_URL + "/ui/#" + f.namespace + "/api"))
                .extract().jsonPath();
        assertEquals(20.0, rest.getDouble("observed.share"), 2.0, "REST observed.share");

        // the share holds still: measurements every second, and no write
        AtomicReference<String> version = new AtomicReference<>(f.getCanary("api").getMetadata().getResourceVersion());
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> version.get().equals(f.getCanary("api").getMetadata().getResourceVersion()));
    }

    @Test
    void belowTheMinimumThereIsNoShareOnlyAMessage() {
        Fixture f = new Fixture(client).service("web", 2);
        traffic.receive(f.namespace, Map.of("web", 1L, "web-canary", 1L)); // about 60 in 30s, under 100
        f.create(f.canary("web", "web", 50, "v2"));
        f.markReady("web-canary");

        await().atMost(DEADLINE).until(() -> observed(f) != null && observed(f).message != null);
        ObservedShare o = observed(f);
        System.out.printf("ObservedShareTest: %d requests in %s: %s%n", o.requests, o.window, o.message);
        assertNull(o.share);
        assertEquals("not enough requests: fewer than 100 in the last 30s", o.message);
        assertNotNull(o.requests);
        assertTrue(o.requests < 100, "requests " + o.requests);
        given().get("/api/v1/namespaces/{ns}/canaries/web", f.namespace).then().statusCode(200)
                .body("observed.message", equalTo(o.message));
    }

    static ObservedShare observed(Fixture f) {
        Canary c = f.getCanary(nameOf(f));
        return c == null || c.getStatus() == null ? null : c.getStatus().observed;
    }

    static String nameOf(Fixture f) {
        return f.client.resources(Canary.class).inNamespace(f.namespace).list().getItems().get(0).getMetadata().getName();
    }

    static Double share(Fixture f) {
        ObservedShare o = observed(f);
        return o == null ? null : o.share;
    }
}
