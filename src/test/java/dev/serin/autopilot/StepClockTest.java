package dev.serin.autopilot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.TestClock;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.ConditionTypes;
import dev.serin.reconcile.Conditions;
import dev.serin.reconcile.Controller;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A step's interval, and the window its check looks at, start when the routes carry the step's weight
 * ({@code status.weight} at it, TrafficApplied True), not when the autopilot chose it: canary pods that take their
 * time to become ready make the step wait, never shorten it. Driven by a test Clock.
 */
@QuarkusTest
@WithStrictApiServer
class StepClockTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);
    static final Duration INTERVAL = Duration.ofMinutes(5);

    @Strict
    KubernetesClient client;
    @Inject
    Controller controller;
    @Inject
    Autopilot autopilot;
    @Inject
    TestClock clock;
    @Inject
    ScriptedAnalysis analysis;

    Fixture f;

    @AfterEach
    void cleanUp() { // the autopilot ticks over every Canary: leave none for the next test
        if (f != null) {
            AutopilotRuns.delete(f, "api", DEADLINE);
        }
    }

    /** steps [1, 5, 10] every 5m, deadline 20m, on a target of 40 pods; {@code replicas} null: scaled to the weight. */
    void create(Integer replicas) {
        f = new Fixture(client).service("api", 40);
        Canary c = f.canary("api", "api", 1, "v2");
        c.getSpec().canary.replicas = replicas;
        AutopilotRuns.autopilot(c, List.of(1.0, 5.0, 10.0), "5m", "20m");
        f.create(c);
    }

    CanaryStatus status() {
        Canary c = f.getCanary("api");
        return c == null || c.getStatus() == null ? new CanaryStatus() : c.getStatus();
    }

    double specWeight() {
        return f.getCanary("api").getSpec().weight;
    }

    void tick() {
        AutopilotRuns.tick(controller, autopilot, DEADLINE);
        await().atMost(DEADLINE).until(() -> controller.idle() && autopilot.idle());
    }

    /** Once status.weight shows {@code weight}: the time then, after the step's clock has started. */
    Instant awaitTrafficAt(double weight) {
        await().atMost(DEADLINE).until(() -> Double.valueOf(weight).equals(status().weight));
        Instant reached = clock.instant();
        await().atMost(DEADLINE).until(() -> status().nextStepAt != null);
        return reached;
    }

    /** A full interval after {@code reached}: not one second before it, and at it. */
    void assertStepsAFullIntervalAfter(Instant reached, double from, double to) {
        clock.advance(INTERVAL.minusSeconds(1));
        tick();
        assertEquals(from, specWeight(), "no step before a full interval at " + from + " %");
        clock.advance(Duration.ofSeconds(1));
        tick();
        await().atMost(DEADLINE).until(() -> specWeight() == to);
        Instant stepped = clock.instant();
        assertTrue(Duration.between(reached, stepped).compareTo(INTERVAL) >= 0,
                "traffic reached " + from + " % at " + reached + ", stepped to " + to + " % at " + stepped);
        List<Instant> windows = analysis.windowStarts(f.namespace, "api");
        Instant window = windows.get(windows.size() - 1);
        assertFalse(window.isBefore(reached), "the check looked at " + window + ", before traffic reached " + from + " %");
    }

    @Test
    void theFirstIntervalStartsWhenTrafficReachesTheFirstStep() {
        create(4);
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary") != null
                && Conditions.isTrue(status().conditions, ConditionTypes.VALID));
        tick();
        await().atMost(DEADLINE).until(() -> Objects.equals(0, status().stepIndex));

        clock.advance(INTERVAL.plusMinutes(1)); // the pods are not ready: nothing carries 1 % yet
        tick();
        assertEquals(1.0, specWeight(), "a weight that is not applied never steps");
        assertNotEquals(Double.valueOf(1), status().weight);
        assertNull(status().nextStepAt, "no step is due while the routes do not carry the weight");

        f.markReady("api-canary");
        Instant reached = awaitTrafficAt(1);
        assertStepsAFullIntervalAfter(reached, 1, 5);
    }

    @Test
    void everyStepsIntervalStartsWhenTrafficReachesItAlsoAcrossARestart() {
        create(null); // 1 canary pod at 1 %, 2 at 5 %
        f.markReady("api-canary");
        awaitTrafficAt(1);
        clock.advance(INTERVAL);
        tick();
        await().atMost(DEADLINE).until(() -> specWeight() == 5);
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary").getSpec().getReplicas() == 2
                && "WaitingForCanaryPods".equals(Conditions.find(status().conditions, ConditionTypes.TRAFFIC_APPLIED)
                        .getReason()));

        clock.advance(INTERVAL.minusMinutes(1)); // the second pod takes its time; the weight is held at 1 %
        tick();
        assertEquals(Double.valueOf(1), status().weight);
        assertNull(status().nextStepAt, "no step is due while the routes do not carry the weight");
        controller.stop(); // what the step waits for is in status: a restart does not start its clock
        controller.start();
        await().atMost(DEADLINE).until(controller::started);
        tick();
        assertNull(status().nextStepAt);

        f.markReady("api-canary");
        Instant reached = awaitTrafficAt(5);
        assertStepsAFullIntervalAfter(reached, 5, 10);
    }

    @Test
    void aStepWhoseWeightIsLoweredForLostPodsStartsItsIntervalAgainWhenTheWeightIsBack() {
        create(4);
        f.markReady("api-canary");
        awaitTrafficAt(1);
        clock.advance(INTERVAL.minusMinutes(2));
        tick();
        // two of the four canary pods go: after the settle the weight is lowered to what two can carry
        Fixture.retryOnConflict(() -> {
            Deployment d = f.deploymentNow("api-canary");
            d.getStatus().setReadyReplicas(2);
            d.getStatus().setAvailableReplicas(2);
            return client.apps().deployments().inNamespace(f.namespace).resource(d).updateStatus();
        });
        await().atMost(DEADLINE).until(() -> "CanaryPodsUnavailable".equals(
                Conditions.find(status().conditions, ConditionTypes.TRAFFIC_APPLIED).getReason()));
        await().atMost(DEADLINE).until(() -> status().nextStepAt == null);
        assertTrue(status().weight < 1, "lowered: " + status().weight);

        f.markReady("api-canary");
        Instant back = awaitTrafficAt(1);
        assertStepsAFullIntervalAfter(back, 1, 5);
    }
}
