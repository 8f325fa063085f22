package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serin.Fixture;
import dev.serin.TestClock;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Make-before-break across a restart: the settle wait is read back from the objects Serin wrote, so a Serin that
 * restarts (or a new leader) waits out what its predecessor started. Controller.stop() drops everything in memory,
 * as a process restart does.
 */
@QuarkusTest
@WithStrictApiServer
@TestProfile(RestartSettleTest.LongSettle.class)
class RestartSettleTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    /** A settle no test outlasts in real time: only the TestClock moves past it. */
    public static class LongSettle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("serin.traffic.settle", "1h");
        }
    }

    @Strict
    KubernetesClient client;
    @Inject
    Controller controller;
    @Inject
    TestClock clock;

    @Test
    void serinRestarted100msAfterItWroteTheSubsetsMovesNoRouteBeforeTheSettleHasPassedSinceThatWrite() {
        await().atMost(DEADLINE).until(controller::started);
        Fixture f = new Fixture(client).service("api", 40);
        List<String> original = f.mainRoute("api");
        f.create(f.canary("api", "api", 3, "v2"));
        await().atMost(DEADLINE).until(() -> f.dr("api").at("/spec/subsets").findValuesAsText("name").contains("canary"));

        await().pollDelay(Duration.ofMillis(100)).atMost(DEADLINE).until(() -> true);
        controller.stop();
        controller.start();
        await().atMost(DEADLINE).until(controller::started);

        // 1 s of real time is far less than the 1 h settle: no route may name the new subsets yet
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> f.mainRoute("api").equals(original));
        assertEquals("WaitingForSubsets",
                Conditions.find(f.getCanary("api").getStatus().conditions, "TrafficApplied").getReason());

        clock.advance(Duration.ofHours(1));
        controller.resync();
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").stream().allMatch(d -> d.startsWith("stable=")));
    }
}
