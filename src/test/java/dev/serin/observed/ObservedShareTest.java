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
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.ObservedShare;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * status.observed from a real Prometheus (Debian's {@code prometheus}, a child process of the test) scraping
 * Istio-shaped request counters once a second from {@link IstioTraffic}, whose traffic deliberately disagrees with the
 * weights: at weight 10 the canary workload gets 10 of every 50 requests, 20 %. Window 4s (short, so that a canary
 * below the minimum says so soon), minimum 100 requests, measured every second (serin.observed.*), Prometheus from
 * serin.analysis.prometheus.url. Each share is measured
 * since status.weight last changed (at most the window).
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
                    "serin.observed.window", "4s",
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
        // measured since the weight was set (a few seconds ago), at most the 4s window
        assertTrue(o.window.matches("[1-4]s"), o.window);
        assertNull(o.message);
        assertTrue(Instant.parse(o.time).isAfter(Instant.now().minusSeconds(60)), o.time);
        assertEquals(EXTERNAL_URL + "/ui/#" + f.namespace + "/api", f.getCanary("api").getStatus().dashboardUrl);

        var rest = given().get("/api/v1/namespaces/{ns}/canaries/api", f.namespace).then().statusCode(200)
                .body("observed.window", equalTo(o.window))
                .body("dashboardUrl", equalTo(EXTERNAL_URL + "/ui/#" + f.namespace + "/api"))
                .extract().jsonPath();
        assertEquals(20.0, rest.getDouble("observed.share"), 2.0, "REST observed.share");

        // the share holds still: measurements every second, and no write
        AtomicReference<String> version = new AtomicReference<>(f.getCanary("api").getMetadata().getResourceVersion());
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> version.get().equals(f.getCanary("api").getMetadata().getResourceVersion()));
    }

    /**
     * After a step the share describes the new weight alone: measured since status.weight changed (not over a window
     * that spans the old weight), and until that stretch holds the minimum, a message saying it is settling. Every
     * status Serin writes at the new weight is watched: none may show a share mixed from both weights.
     */
    @Test
    void afterAStepTheShareDescribesTheNewWeightOnlyAndSaysSettlingUntilThen() {
        Fixture f = new Fixture(client).service("shop", 4);
        traffic.receive(f.namespace, Map.of("shop", 40L, "shop-canary", 10L)); // 20 % at weight 10
        f.create(f.canary("shop", "shop", 10, "v2"));
        f.markReady("shop-canary");
        await().atMost(DEADLINE).until(() -> share(f) != null && Math.abs(share(f) - 20) <= 2);

        List<CanaryStatus> seen = new CopyOnWriteArrayList<>();
        try (Watch watch = client.resources(Canary.class).inNamespace(f.namespace).withName("shop").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Canary canary) {
                if (canary.getStatus() != null) {
                    seen.add(canary.getStatus());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            traffic.receive(f.namespace, Map.of("shop", 25L, "shop-canary", 25L)); // 50 % from the next scrape on
            f.setWeight("shop", 25);
            await().atMost(DEADLINE).until(() -> {
                f.markReady("shop-canary");
                CanaryStatus s = f.getCanary("shop").getStatus();
                return Objects.equals(25.0, s.weight) && s.observed != null && s.observed.share != null
                        && s.weightChangedAt != null && Instant.parse(s.observed.time).isAfter(Instant.parse(s.weightChangedAt));
            });
        }
        CanaryStatus now = f.getCanary("shop").getStatus();
        System.out.printf("ObservedShareTest: weight 25 since %s, observed share %s of %d requests in %s%n",
                now.weightChangedAt, now.observed.share, now.observed.requests, now.observed.window);
        assertEquals(50.0, now.observed.share, 2.0, "the share at weight 25");
        String settling = "settling since the weight changed to 25 % at " + now.weightChangedAt
                + ": fewer than 100 requests since";
        List<CanaryStatus> atNewWeight = seen.stream().filter(s -> Objects.equals(25.0, s.weight)).toList();
        assertTrue(atNewWeight.stream().anyMatch(s -> s.observed != null && settling.equals(s.observed.message)),
                "said it was settling: " + observedOf(atNewWeight));
        for (CanaryStatus s : atNewWeight) {
            assertEquals(now.weightChangedAt, s.weightChangedAt, "one change, one time");
            assertNotNull(s.observed, "status.observed at weight 25");
            if (s.observed.share == null) {
                assertEquals(settling, s.observed.message, String.valueOf(observedOf(atNewWeight)));
            } else {
                assertEquals(50.0, s.observed.share, 2.0, "every share written at weight 25: " + observedOf(atNewWeight));
            }
        }
    }

    private static List<String> observedOf(List<CanaryStatus> statuses) {
        return statuses.stream().map(s -> s.observed == null ? "-" : s.observed.share + "/" + s.observed.window + "/"
                + s.observed.time + "/" + s.observed.message).toList();
    }

    @Test
    void belowTheMinimumThereIsNoShareOnlyAMessage() {
        Fixture f = new Fixture(client).service("web", 2);
        traffic.receive(f.namespace, Map.of("web", 1L, "web-canary", 1L)); // about 8 in 4s, under 100
        f.create(f.canary("web", "web", 50, "v2"));
        f.markReady("web-canary");

        // while the stretch since the weight was set is shorter than the window, it is settling; then not enough
        await().atMost(DEADLINE).until(() -> observed(f) != null && observed(f).message != null
                && observed(f).message.startsWith("settling since the weight changed to 50 % at "));
        await().atMost(DEADLINE).until(() -> observed(f) != null && observed(f).message != null
                && observed(f).message.startsWith("not enough"));
        ObservedShare o = observed(f);
        System.out.printf("ObservedShareTest: %d requests in %s: %s%n", o.requests, o.window, o.message);
        assertNull(o.share);
        assertEquals("not enough requests: fewer than 100 in the last 4s", o.message);
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
