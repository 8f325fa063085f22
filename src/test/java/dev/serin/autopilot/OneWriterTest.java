package dev.serin.autopilot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.TestClock;
import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.reconcile.Controller;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The autopilot writes only from its Canary's reconcile, on the state it decided on: an abort is never undone by an
 * advance decided before it, one Canary's analysis never holds up another's, and an abort withdraws the traffic
 * without rewriting spec.weight.
 */
@QuarkusTest
@WithStrictApiServer
class OneWriterTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);
    static final Duration INTERVAL = Duration.ofMinutes(5);
    /** serin.autopilot.tick's default: "on time" is within one tick of the move being due. */
    static final Duration TICK = Duration.ofSeconds(1);

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
    final List<String> names = new ArrayList<>();

    @AfterEach
    void cleanUp() { // the autopilot ticks over every Canary: leave none for the next test
        for (String name : names) {
            client.resources(Canary.class).inNamespace(f.namespace).withName(name).delete();
        }
        for (String name : names) {
            await().atMost(DEADLINE).until(() -> f.getCanary(name) == null);
        }
    }

    /** Canary {@code name} on its own Deployment of 40 pods, 4 canary pods, steps [1, 2.5, 5, 10] every 5m, at step 1. */
    void start(String... canaries) {
        f = f == null ? new Fixture(client) : f;
        for (String name : canaries) {
            f.service(name, 40);
            Canary c = f.canary(name, name, 1, "v2");
            c.getSpec().canary.replicas = 4;
            AutopilotRuns.autopilot(c, List.of(1.0, 2.5, 5.0, 10.0), "5m", "10m");
            f.create(c);
            names.add(name);
            f.markReady(name + "-canary");
        }
        for (String name : canaries) {
            await().atMost(DEADLINE).until(() -> Double.valueOf(1).equals(status(name).weight));
        }
        tick();
        for (String name : canaries) {
            await().atMost(DEADLINE).until(() -> Objects.equals(0, status(name).stepIndex)
                    && status(name).nextStepAt != null);
        }
        await().atMost(DEADLINE).until(() -> controller.idle() && autopilot.idle());
    }

    CanaryStatus status(String name) {
        Canary c = f.getCanary(name);
        return c == null || c.getStatus() == null ? new CanaryStatus() : c.getStatus();
    }

    double weight(String name) {
        return f.getCanary(name).getSpec().weight;
    }

    void tick() {
        AutopilotRuns.tick(controller, autopilot, DEADLINE);
    }

    /** As the REST API and the kubectl plugin ask: the serin.dev/action annotation. */
    void request(String name, String action) {
        client.resources(Canary.class).inNamespace(f.namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"serin.dev/action\":\"" + action + "\"}}}");
    }

    /** The canary subset's weight in the VirtualService's main route; 0 when it is not there. */
    static int canaryWeight(List<String> route) {
        return route.stream().filter(d -> d.startsWith("canary=")).filter(d -> !d.equals("canary=-"))
                .mapToInt(d -> Integer.parseInt(d.substring(7)))
                .findFirst().orElse(0);
    }

    @Test
    void anAbortAndAnAdvanceDecidedOnTheSameResourceVersionLandOnlyTheAbort() throws Exception {
        start("api");
        CountDownLatch analysing = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        analysis.before(f.namespace, "api", () -> { // the check passes, but only once the abort has landed
            analysing.countDown();
            try {
                answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>()); // every canary weight the mesh is sent
        Watch watch = client.genericKubernetesResources(f.istio.virtualServices()).inNamespace(f.namespace).withName("api")
                .watch(new Watcher<GenericKubernetesResource>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource vs) {
                        seen.add(canaryWeight(mainRoute(vs)));
                    }

                    @Override
                    public void onClose(WatcherException cause) {
                    }
                });
        try {
            clock.advance(INTERVAL);
            await().atMost(DEADLINE).until(controller::idle);
            CompletableFuture<Void> tick = CompletableFuture.runAsync(autopilot::tick);
            assertTrue(analysing.await(15, TimeUnit.SECONDS), "the check started");
            request("api", "abort"); // on the resourceVersion the running check was decided on
            await().atMost(DEADLINE).until(() -> status("api").phase == Phase.Aborted);
            answer.countDown();
            tick.get(15, TimeUnit.SECONDS);
            await().atMost(DEADLINE).until(() -> canaryWeight(f.mainRoute("api")) == 0);
            await().atMost(DEADLINE).until(() -> controller.idle() && autopilot.idle());
            tick(); // nothing the autopilot does to an aborted canary
            await().atMost(DEADLINE).until(() -> controller.idle() && autopilot.idle());

            assertEquals(Phase.Aborted, status("api").phase);
            assertEquals(1.0, weight("api"), "the advance did not land");
            assertEquals(0, status("api").stepIndex);
            assertEquals(0.0, status("api").weight);
            assertFalse(f.eventReasons().contains("StepAdvanced"), f.eventReasons().toString());
            List<Integer> weights = List.copyOf(seen);
            int zero = weights.indexOf(0);
            assertTrue(zero >= 0, weights.toString());
            assertEquals(List.of(), weights.subList(zero, weights.size()).stream().filter(w -> w > 0).toList(),
                    "no weight above 0 after the abort: " + weights);
        } finally {
            answer.countDown();
            watch.close();
        }
    }

    @Test
    void aThrowingAndASlowProviderDoNotHoldUpAHealthyCanary() throws Exception {
        start("a-throws", "b-slow", "c-healthy");
        analysis.before(f.namespace, "a-throws", () -> {
            throw new IllegalStateException("provider broke");
        });
        analysis.before(f.namespace, "b-slow", () -> {
            try {
                Thread.sleep(4_000); // a slow Prometheus: answers after 4 s
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        clock.advance(INTERVAL);
        await().atMost(DEADLINE).until(controller::idle);
        CompletableFuture<Void> tick = CompletableFuture.runAsync(autopilot::tick); // all three are due now
        await().atMost(TICK.plusMillis(500)).until(() -> weight("c-healthy") == 2.5);
        assertEquals(1.0, weight("b-slow"), "still analysing");

        await().atMost(DEADLINE).until(() -> weight("b-slow") == 2.5);
        await().atMost(DEADLINE).until(() -> status("a-throws").analysis != null);
        AnalysisRecord check = status("a-throws").analysis.get(status("a-throws").analysis.size() - 1);
        assertEquals("Inconclusive", check.result, "a provider that throws holds the step");
        assertTrue(check.metrics.get(0).message.contains("provider broke"), check.metrics.get(0).message);
        assertEquals(1.0, weight("a-throws"));
        assertEquals(Phase.Progressing, status("a-throws").phase);
        tick.get(15, TimeUnit.SECONDS);
    }

    @Test
    void anAbortLeavesSpecWeightAndWithdrawsTrafficAndResumeStartsFromTheFirstStep() {
        start("api");
        clock.advance(INTERVAL);
        tick();
        await().atMost(DEADLINE).until(() -> Double.valueOf(2.5).equals(status("api").weight));
        assertEquals(List.of("stable=39", "canary=1"), f.mainRoute("api"));

        request("api", "abort");
        await().atMost(DEADLINE).until(() -> status("api").phase == Phase.Aborted);
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=-")));
        await().atMost(DEADLINE).until(() -> Double.valueOf(0).equals(status("api").weight));
        assertEquals(2.5, weight("api"), "spec.weight is the person's: an abort does not rewrite it");
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary").getSpec().getReplicas() == 1);
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("AbortedByUser"));
        clock.advance(INTERVAL);
        tick();
        await().atMost(DEADLINE).until(() -> controller.idle() && autopilot.idle());
        assertEquals(List.of("stable=-"), f.mainRoute("api"), "an aborted canary stays at 0");

        request("api", "resume");
        await().atMost(DEADLINE).until(() -> status("api").phase == Phase.Progressing);
        assertEquals(1.0, weight("api"), "the first step");
        assertEquals(0, status("api").stepIndex);
        await().atMost(DEADLINE).until(() -> f.deploymentNow("api-canary").getSpec().getReplicas() == 4);
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=99", "canary=1")));
        await().atMost(DEADLINE).until(() -> Double.valueOf(1).equals(status("api").weight)
                && status("api").nextStepAt != null);
        clock.advance(INTERVAL);
        tick();
        await().atMost(DEADLINE).until(() -> Double.valueOf(2.5).equals(status("api").weight));
    }

    @SuppressWarnings("unchecked")
    static List<String> mainRoute(GenericKubernetesResource vs) {
        List<String> result = new ArrayList<>();
        Object spec = vs.getAdditionalProperties().get("spec");
        if (!(spec instanceof Map<?, ?> s) || !(s.get("http") instanceof List<?> http)) {
            return result;
        }
        for (Object r : http) {
            Map<String, Object> route = (Map<String, Object>) r;
            if (!"admin".equals(route.get("name")) && route.get("route") instanceof List<?> destinations) {
                for (Object d : destinations) {
                    Map<String, Object> destination = (Map<String, Object>) d;
                    Object subset = ((Map<String, Object>) destination.get("destination")).get("subset");
                    Object weight = destination.get("weight");
                    result.add((subset == null ? "-" : subset) + "=" + (weight == null ? "-" : weight));
                }
                break;
            }
        }
        return result;
    }
}
