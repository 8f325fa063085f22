package dev.serin.autopilot;

import static dev.serin.autopilot.analysis.Verdict.FAIL;
import static dev.serin.autopilot.analysis.Verdict.INCONCLUSIVE;
import static dev.serin.autopilot.analysis.Verdict.PASS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.TestClock;
import dev.serin.autopilot.analysis.Verdict;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.reconcile.Conditions;
import dev.serin.reconcile.Controller;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The autopilot driven by a test Clock: each step is a clock move and one tick, never a wait for real time. */
@QuarkusTest
@WithStrictApiServer
class AutopilotTest {
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

    /** steps [1, 2.5, 5, 10] every 5m; 4 fixed canary pods so each step only moves weights. */
    Fixture start(AutopilotSpec.OnComplete onComplete, boolean ready) {
        f = new Fixture(client).service("api", 40);
        Canary c = f.canary("api", "api", 1, "v2");
        c.getSpec().canary.replicas = 4;
        AutopilotRuns.autopilot(c, List.of(1.0, 2.5, 5.0, 10.0), "5m", "10m");
        c.getSpec().autopilot.onComplete = onComplete;
        f.create(c);
        if (ready) {
            f.markReady("api-canary");
            awaitWeight(1);
        } else {
            await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary") != null);
            awaitValid();
        }
        tick(); // first sight: step 0, next step due one interval after the routes carry it
        await().atMost(DEADLINE).until(() -> Objects.equals(0, status().stepIndex)
                && (!ready || status().nextStepAt != null));
        return f;
    }

    @org.junit.jupiter.api.AfterEach
    void stop() {
        if (f != null) { // the autopilot ticks over every Canary: leave none for the next test
            AutopilotRuns.delete(f, "api", DEADLINE);
        }
    }

    dev.serin.api.v1alpha1.CanaryStatus status() {
        return f.getCanary("api").getStatus();
    }

    void awaitValid() {
        await().atMost(DEADLINE).until(() -> status() != null && Conditions.isTrue(status().conditions, "Valid"));
    }

    /** The routes carry {@code weight} and the step's interval has started. */
    void awaitWeight(double weight) {
        await().atMost(DEADLINE).until(() -> Double.valueOf(weight).equals(status().weight)
                && Double.valueOf(weight).equals(f.getCanary("api").getSpec().weight) && status().nextStepAt != null);
        await().atMost(DEADLINE).until(controller::idle);
    }

    /** One autopilot pass once the controller's cache holds everything written so far. */
    void tick() {
        AutopilotRuns.tick(controller, autopilot, DEADLINE);
    }

    void nextInterval() {
        clock.advance(INTERVAL);
        tick();
    }

    @Test
    void stepsUpWhileHealthyHoldsWhenInconclusiveAndCompletesByHolding() {
        start(AutopilotSpec.OnComplete.Hold, true);
        tick();
        assertEquals(1.0, f.getCanary("api").getSpec().weight, "no step before the interval");

        nextInterval();
        awaitWeight(2.5);
        assertEquals(List.of("stable=39", "canary=1"), f.mainRoute("api"));
        assertEquals(1, status().stepIndex);
        assertEquals("Pass", status().analysis.get(status().analysis.size() - 1).result);

        analysis.answer(f.namespace, "api", INCONCLUSIVE);
        nextInterval();
        await().atMost(DEADLINE).until(() -> status().analysis.size() == 2);
        assertEquals(2.5, f.getCanary("api").getSpec().weight, "inconclusive holds the step");

        analysis.answer(f.namespace, "api", PASS);
        nextInterval();
        awaitWeight(5);
        nextInterval();
        awaitWeight(10);
        nextInterval();
        await().atMost(DEADLINE).until(() -> "Completed".equals(
                Conditions.find(status().conditions, Autopilot.CONDITION).getReason()));
        assertEquals(10.0, f.getCanary("api").getSpec().weight);
        assertEquals(Phase.Progressing, status().phase);
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("StepAdvanced")); // Events are sent asynchronously
    }

    @Test
    void failedChecksInARowRollBackToZeroAndKeepOnePod() {
        start(AutopilotSpec.OnComplete.Hold, true);
        nextInterval();
        awaitWeight(2.5);
        analysis.answer(f.namespace, "api", FAIL);
        nextInterval();
        await().atMost(DEADLINE).until(() -> Objects.equals(1, status().failedChecks));
        nextInterval();
        await().atMost(DEADLINE).until(() -> Objects.equals(2, status().failedChecks));
        assertEquals(2.5, f.getCanary("api").getSpec().weight, "below the threshold the step holds");
        nextInterval();
        await().atMost(DEADLINE).until(() -> status().phase == Phase.Aborted && Double.valueOf(0).equals(status().weight));
        assertEquals(2.5, f.getCanary("api").getSpec().weight, "an abort withdraws the traffic, not spec.weight");
        assertEquals("AnalysisFailed", Conditions.find(status().conditions, Autopilot.CONDITION).getReason());
        assertEquals(List.of("stable=-"), f.mainRoute("api"));
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary").getSpec().getReplicas() == 1);
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("AnalysisFailed")); // Events are sent asynchronously
        nextInterval();
        await().atMost(DEADLINE).until(controller::idle);
        assertEquals(List.of("stable=-"), f.mainRoute("api"), "an aborted canary stays at 0");
    }

    @Test
    void aCanaryNotReadyByTheProgressDeadlineIsAborted() {
        start(AutopilotSpec.OnComplete.Hold, false);
        clock.advance(Duration.ofMinutes(11));
        tick();
        await().atMost(DEADLINE).until(() -> status().phase == Phase.Aborted);
        assertEquals("ProgressDeadlineExceeded", Conditions.find(status().conditions, Autopilot.CONDITION).getReason());
        await().atMost(DEADLINE).until(() -> Double.valueOf(0).equals(status().weight));
        assertEquals(1.0, f.getCanary("api").getSpec().weight, "spec.weight stays as it was");
    }

    @Test
    void pausedHoldsAndAWeightSetByHandCarriesOnFromTheNextStepAboveIt() {
        start(AutopilotSpec.OnComplete.Hold, true);
        f.client.resources(Canary.class).inNamespace(f.namespace).withName("api").edit(c -> {
            c.getSpec().paused = true;
            return c;
        });
        await().atMost(DEADLINE).until(() -> status().phase == Phase.Paused);
        nextInterval();
        nextInterval();
        assertEquals(1.0, f.getCanary("api").getSpec().weight);

        f.client.resources(Canary.class).inNamespace(f.namespace).withName("api").edit(c -> {
            c.getSpec().paused = false;
            c.getSpec().weight = 3.0;
            return c;
        });
        awaitWeight(3);
        tick();
        await().atMost(DEADLINE).until(() -> Objects.equals(1, status().stepIndex));
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("ManualOverride")); // Events are sent asynchronously
        tick();
        assertEquals(3.0, f.getCanary("api").getSpec().weight, "a full interval first");
        nextInterval();
        awaitWeight(5);
    }

    @Test
    void aRestartMidRolloutNeitherRepeatsNorSkipsAStep() {
        start(AutopilotSpec.OnComplete.Hold, true);
        nextInterval();
        awaitWeight(2.5);
        var before = f.snapshot();
        controller.stop();
        controller.start();
        await().atMost(DEADLINE).until(controller::started);
        tick();
        await().atMost(DEADLINE).until(controller::idle);
        assertEquals(before, f.snapshot(), "nothing written after the restart");
        nextInterval();
        awaitWeight(5);
        assertEquals(2, status().stepIndex);
    }

    @Test
    void promoteCopiesTheCanaryIntoTheTargetThenRemovesTheCanary() {
        start(AutopilotSpec.OnComplete.Promote, true);
        for (double w : new double[] {2.5, 5, 10}) {
            nextInterval();
            awaitWeight(w);
        }
        nextInterval();
        await().atMost(DEADLINE).until(() -> status().phase == Phase.Promoting || status().phase == Phase.Succeeded);
        await().atMost(DEADLINE).until(() -> "registry.example/api:v2".equals(
                f.deploymentNow("api").getSpec().getTemplate().getSpec().getContainers().get(0).getImage()));
        f.markReady("api"); // the stable rollout completes
        await().atMost(Duration.ofSeconds(30)).until(() -> status().phase == Phase.Succeeded);
        assertNull(f.deploymentNow("api-canary"));
        assertEquals(List.of("-=-"), f.mainRoute("api"));
        assertEquals("v1", f.deploymentNow("api").getSpec().getTemplate().getMetadata().getLabels().get("version"));
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("Promoted")); // Events are sent asynchronously
    }
}
