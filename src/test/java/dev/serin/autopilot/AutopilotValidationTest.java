package dev.serin.autopilot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.reconcile.Conditions;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every autopilot duration, threshold and step list Serin cannot follow is refused with a clear reason: at the door by
 * the CRD, and as Valid=False (InvalidAutopilot) for a Canary stored before the CRD had the rule.
 */
@QuarkusTest
@WithStrictApiServer
class AutopilotValidationTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;
    @Strict
    StrictApiServer server;

    /** What each bad autopilot looks like, and a part of the message that names what to fix. */
    static final Map<String, Consumer<AutopilotSpec>> BAD = Map.of(
            "interval 0s", a -> a.interval = "0s",
            "progressDeadline 1m below the interval 5m", a -> {
                a.interval = "5m";
                a.progressDeadline = "1m";
            },
            "interval 20m above the default progressDeadline", a -> a.interval = "20m",
            "failureThreshold 0", a -> {
                a.analysis = new AnalysisSpec();
                a.analysis.failureThreshold = 0;
            },
            "descending steps", a -> a.steps = List.of(10.0, 5.0),
            "a step above 100", a -> a.steps = List.of(50.0, 150.0),
            "an allowed increase below 1", a -> {
                a.analysis = new AnalysisSpec();
                a.analysis.latencyP99 = new AnalysisSpec.LatencyBound();
                a.analysis.latencyP99.compare = new dev.serin.api.v1alpha1.Compare();
                a.analysis.latencyP99.compare.allowedIncrease = 0.5;
            },
            "marginalScore above passScore", a -> {
                a.analysis = new AnalysisSpec();
                a.analysis.judge = new dev.serin.api.v1alpha1.JudgeSpec();
                a.analysis.judge.passScore = 60.0;
            });

    static final Map<String, String> MESSAGE = Map.of(
            "interval 0s", "interval 0s must be a duration above zero",
            "progressDeadline 1m below the interval 5m", "progressDeadline 1m must be at least spec.autopilot.interval 5m",
            "interval 20m above the default progressDeadline", "progressDeadline 10m (default) must be at least",
            "failureThreshold 0", "failureThreshold 0 must be 1 or more",
            "descending steps", "ascending steps",
            "a step above 100", "0..100",
            "an allowed increase below 1", "spec.autopilot.analysis.latencyP99.compare.allowedIncrease 0.5 must be 1 or more",
            "marginalScore above passScore", "spec.autopilot.analysis.judge.marginalScore 75 must not be above passScore 60");

    @AfterEach
    void currentCrd() {
        server.oldCanaryCrd(false);
    }

    Canary canary(Fixture f, String name, Consumer<AutopilotSpec> bad) {
        Canary c = f.canary(name, "api", 1, "v2");
        c.getSpec().autopilot = new AutopilotSpec();
        c.getSpec().autopilot.steps = List.of(1.0, 5.0);
        bad.accept(c.getSpec().autopilot);
        return c;
    }

    @Test
    void theApiServerRefusesEachAtTheDoor() {
        Fixture f = new Fixture(client).service("api", 4);
        for (var bad : BAD.entrySet()) {
            KubernetesClientException e = assertThrows(KubernetesClientException.class,
                    () -> f.create(canary(f, "api", bad.getValue())), bad.getKey());
            assertEquals(422, e.getCode(), bad.getKey());
        }
    }

    @Test
    void aStoredCanaryWithEachIsInvalidWithAClearReason() {
        server.oldCanaryCrd(true); // a cluster whose Canary CRD predates its rules stores what Serin must refuse
        Fixture f = new Fixture(client).service("api", 4);
        for (var bad : BAD.entrySet()) {
            Canary c = f.create(canary(f, "api", bad.getValue()));
            await().atMost(DEADLINE).until(() -> {
                Canary now = f.getCanary("api");
                Condition valid = now.getStatus() == null ? null : Conditions.find(now.getStatus().conditions, "Valid");
                return valid != null && "False".equals(valid.getStatus());
            });
            Condition valid = Conditions.find(f.getCanary("api").getStatus().conditions, "Valid");
            assertEquals("InvalidAutopilot", valid.getReason(), bad.getKey() + ": " + valid.getMessage());
            assertTrue(valid.getMessage().contains(MESSAGE.get(bad.getKey())), bad.getKey() + ": " + valid.getMessage());
            assertEquals(Phase.Failed, f.getCanary("api").getStatus().phase);
            assertEquals(List.of("-=-"), f.mainRoute("api"), bad.getKey() + ": no traffic moved");
            client.resources(Canary.class).inNamespace(f.namespace).withName(c.getMetadata().getName()).delete();
            await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
        }
    }

    /**
     * With neither serin.analysis.prometheus.url nor .allowed set (as installed from k8s/), no Prometheus may be asked:
     * whoever may create a Canary could otherwise make Serin call any host and port and read back from status whether
     * it answered and with what code.
     */
    @Test
    void aPrometheusNobodyConfiguredIsNotAllowed() {
        Fixture f = new Fixture(client).service("api", 4);
        f.create(canary(f, "api", a -> {
            a.analysis = new AnalysisSpec();
            a.analysis.prometheus = "http://169.254.169.254:80/latest";
        }));
        await().atMost(DEADLINE).until(() -> {
            Canary now = f.getCanary("api");
            Condition valid = now.getStatus() == null ? null : Conditions.find(now.getStatus().conditions, "Valid");
            return valid != null && "False".equals(valid.getStatus());
        });
        Condition valid = Conditions.find(f.getCanary("api").getStatus().conditions, "Valid");
        assertEquals("PrometheusNotAllowed", valid.getReason(), valid.getMessage());
        assertTrue(valid.getMessage().contains("neither is set"), valid.getMessage());
        assertEquals(List.of("-=-"), f.mainRoute("api"), "no traffic moved");
        assertEquals(null, f.deploymentNow("api-canary"), "no canary Deployment for an invalid Canary");
    }
}
