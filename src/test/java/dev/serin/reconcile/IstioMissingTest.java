package dev.serin.reconcile;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.IstioDiscovery;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * No Istio in the cluster: Serin says so (readiness, one log line, and Valid=False IstioNotServed on a Canary that
 * asks for it) and checks again, slowly, until it is installed; the Canary then goes on without a restart.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = IstioDiscovery.InstalledLater.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IstioMissingTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);
    static final String MISSING = "networking.istio.io/v1 or v1beta1 VirtualService and DestinationRule are not served";

    @Inject
    KubernetesClient client;
    @Inject
    Controller controller;
    @KubernetesTestServer
    KubernetesServer server;
    @ConfigProperty(name = "serin.reconcile.max-backoff")
    Duration maxBackoff;
    /** The namespace of the Canary created before Istio is served, for the test that sees it go on. */
    static Fixture web;

    @Test
    @Order(1)
    void readinessAndOneErrorLineNameTheMissingApiAndDiscoveryIsAskedAgainNoMoreOftenThanTheMaxBackoff()
            throws InterruptedException {
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body(containsString(MISSING)));
        given().get("/q/health/live").then().statusCode(200);

        List<LogRecord> errors = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger serin = Logger.getLogger("dev.serin");
        serin.addHandler(handler);
        try {
            controller.stop();
            drain();
            controller.start(); // decides again, and says so again
            List<Long> rounds = discoveryRounds(4);
            for (int i = 1; i < rounds.size(); i++) {
                long gap = TimeUnit.NANOSECONDS.toMillis(rounds.get(i) - rounds.get(i - 1));
                assertTrue(gap >= maxBackoff.toMillis() - 100, "discovery asked again after " + gap + " ms: " + rounds);
            }
            List<String> messages = errors.stream().map(IstioMissingTest::message).toList();
            assertEquals(1, messages.size(), messages::toString);
            assertTrue(messages.get(0).contains(MISSING), messages::toString);
        } finally {
            serin.removeHandler(handler);
        }
        given().get("/q/health/ready").then().statusCode(503).body(containsString(MISSING));
    }

    @Test
    @Order(2)
    void aCanaryOnIstioIsRefusedWithIstioNotServedAndNothingIsWrittenForIt() {
        Fixture f = new Fixture(client).service("web", 10);
        web = f;
        var routes = f.vs("web");
        var rule = f.dr("web");
        f.create(f.canary("web", "web", 5, "v2"));
        Condition valid = CanaryValidationTest.awaitInvalid(f, "web", "IstioNotServed");
        assertTrue(valid.getMessage().contains(MISSING), valid.getMessage());
        assertEquals(1, f.eventReasons().stream().filter("IstioNotServed"::equals).count(), f.eventReasons()::toString);
        assertNull(f.deploymentNow("web-canary"));
        assertEquals(routes, f.vs("web"));
        assertEquals(rule, f.dr("web"));
        given().get("/q/health/ready").then().statusCode(503).body(containsString(MISSING));
    }

    @Test
    @Order(3)
    void installingIstioLaterNeedsNoRestart() {
        IstioDiscovery.InstalledLater.install("v1", "v1beta1", "v1alpha3");
        await().atMost(DEADLINE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 3, "v2"));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));
    }

    @Test
    @Order(4)
    void theCanaryRefusedForWantOfIstioGoesOnOnceItIsServed() {
        Fixture f = web;
        f.markReady("web-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("web").equals(List.of("stable=19", "canary=1")));
        await().atMost(DEADLINE).until(() -> Conditions.isTrue(f.getCanary("web").getStatus().conditions, "Valid"));
    }

    /** When each of the next {@code count} rounds of discovery requests arrived (requests within 100 ms are one round). */
    private List<Long> discoveryRounds(int count) {
        List<Long> rounds = new ArrayList<>();
        await().atMost(DEADLINE.plus(maxBackoff.multipliedBy(count))).pollInterval(Duration.ofMillis(10)).until(() -> {
            RecordedRequest r;
            while ((r = server.getKubernetesMockServer().takeRequest(0, TimeUnit.MILLISECONDS)) != null) {
                long now = System.nanoTime();
                if (isDiscovery(r.getPath())
                        && (rounds.isEmpty() || now - rounds.get(rounds.size() - 1) > TimeUnit.MILLISECONDS.toNanos(100))) {
                    rounds.add(now);
                }
            }
            return rounds.size() >= count;
        });
        return rounds;
    }

    private void drain() throws InterruptedException {
        while (server.getKubernetesMockServer().takeRequest(0, TimeUnit.MILLISECONDS) != null) {
            // requests from before the restart
        }
    }

    private static boolean isDiscovery(String path) {
        return path.equals(IstioDiscovery.GROUP_PATH) || (path.startsWith(IstioDiscovery.GROUP_PATH + "/")
                && path.indexOf('/', IstioDiscovery.GROUP_PATH.length() + 1) < 0);
    }

    private static String message(LogRecord record) {
        return record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
    }
}
