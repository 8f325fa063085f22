package dev.serin.autopilot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.TestClock;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.reconcile.Controller;
import dev.serin.strict.Faults;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A step's write that meets a race (409: the Canary changed since the reconcile read it) is decided again on the next
 * pass, from the same analysis result: the autopilot neither stalls at the step nor mistakes its own half-written step
 * for a weight set by hand.
 */
@QuarkusTest
@WithStrictApiServer
class StepConflictTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);
    static final Duration INTERVAL = Duration.ofMinutes(5);

    @Strict
    KubernetesClient client;
    @Strict
    StrictApiServer server;
    @Inject
    Controller controller;
    @Inject
    Autopilot autopilot;
    @Inject
    TestClock clock;

    Fixture f;

    @AfterEach
    void cleanUp() { // the autopilot ticks over every Canary: leave none for the next test
        if (f != null) {
            client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
            await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
        }
    }

    /** steps [1, 2.5, 5, 10] every 5m, 4 ready canary pods, at step 1 with its interval counting. */
    void start() {
        f = new Fixture(client).service("api", 40);
        Canary c = f.canary("api", "api", 1, "v2");
        c.getSpec().canary.replicas = 4;
        c.getSpec().autopilot = new AutopilotSpec();
        c.getSpec().autopilot.steps = List.of(1.0, 2.5, 5.0, 10.0);
        c.getSpec().autopilot.interval = "5m";
        c.getSpec().autopilot.progressDeadline = "10m";
        f.create(c);
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> Double.valueOf(1).equals(status().weight));
        tick();
        await().atMost(DEADLINE).until(() -> Objects.equals(0, status().stepIndex) && status().nextStepAt != null);
        await().atMost(DEADLINE).until(() -> controller.idle() && autopilot.idle());
    }

    CanaryStatus status() {
        Canary c = f.getCanary("api");
        return c == null || c.getStatus() == null ? new CanaryStatus() : c.getStatus();
    }

    void tick() {
        await().atMost(DEADLINE).until(controller::idle);
        autopilot.tick();
    }

    /** The step is due once; after the refused write, nothing but the controller's own retry may move it. */
    void stepOnceAndAwaitIt() {
        clock.advance(INTERVAL);
        tick();
        await().atMost(DEADLINE).until(() -> server.faults().allFired());
        await().atMost(DEADLINE).until(() -> f.getCanary("api").getSpec().weight == 2.5
                && Objects.equals(1, status().stepIndex));
        await().atMost(DEADLINE).until(() -> Double.valueOf(2.5).equals(status().weight));
        assertEquals(List.of("stable=39", "canary=1"), f.mainRoute("api"));
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("StepAdvanced")); // Events are sent asynchronously
        await().atMost(DEADLINE).until(() -> controller.idle() && autopilot.idle());
        assertEquals(1, f.eventReasons().stream().filter("StepAdvanced"::equals).count(), f.eventReasons()::toString);
        assertFalse(f.eventReasons().contains("ManualOverride"), f.eventReasons()::toString);
        assertEquals("Pass", status().analysis.get(status().analysis.size() - 1).result);
        assertEquals(1, status().analysis.size(), "one check, recorded once");
    }

    @Test
    void aStepWhoseStatusWriteMeetsAConflictLandsOnTheNextPass() {
        start();
        server.faults().conflictOnce(w -> w.bySerin() && w.is("update", "canaries", "status", "api")
                && w.body().path("status").path("stepIndex").asInt(-1) == 1);
        stepOnceAndAwaitIt();
    }

    @Test
    void aStepWhoseWeightWriteMeetsAConflictAfterItsStatusLandedIsNotTakenForAWeightSetByHand() {
        start();
        server.faults().conflictOnce(w -> w.bySerin() && w.is("patch", "canaries", null, "api")
                && w.body().path("spec").path("weight").asDouble() == 2.5);
        stepOnceAndAwaitIt();
        assertTrue(status().nextStepAt != null, "the next interval counts from the new weight");
    }
}
