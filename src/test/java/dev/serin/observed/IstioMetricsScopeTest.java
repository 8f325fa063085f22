package dev.serin.observed;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.autopilot.AutopilotRuns;
import dev.serin.GatewayApiFixture;
import dev.serin.TestClock;
import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.ObservedShare;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.autopilot.Autopilot;
import dev.serin.autopilot.ScriptedAnalysis;
import dev.serin.autopilot.StubAnalysisBackends;
import dev.serin.reconcile.Conditions;
import dev.serin.reconcile.Controller;
import dev.serin.strict.EndpointSliceController;
import dev.serin.strict.GatewayImplementation;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's scope: status.observed and the built-in analysis read Istio's {@code istio_requests_total}, so for a
 * Gateway API Canary they say there are no Istio metrics where another implementation serves its HTTPRoute (its
 * {@code status.parents[].controllerName}), and that nobody has said yet where no implementation reports on it; with
 * Istio reporting, they measure. A Prometheus is known (the stub analysis backends' profile, shared with
 * {@code SampleGateTest}); whether it answers does not matter here, only whether Serin asks it.
 */
@QuarkusTest
@WithStrictApiServer
@TestProfile(StubAnalysisBackends.class)
class IstioMetricsScopeTest {
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final String ENVOY = "gateway.envoyproxy.io/gatewayclass-controller";
    static final String NO_ISTIO = "no Istio metrics: HTTPRoute api (" + ENVOY + ") is implemented by another than"
            + " Istio, and Serin measures Istio's istio_requests_total";

    @Strict
    KubernetesClient client;
    @Inject
    Controller controller;
    @Inject
    ObservedShares observed;
    @Inject
    Autopilot autopilot;
    @Inject
    TestClock clock;
    @Inject
    ScriptedAnalysis analysis;

    Fixture f;
    EndpointSliceController slices;
    GatewayImplementation implementation;

    @AfterEach
    void stop() {
        if (f != null) {
            AutopilotRuns.delete(f, "api", DEADLINE);
        }
        if (implementation != null) {
            implementation.close();
        }
        if (slices != null) {
            slices.close();
        }
    }

    /** Deployment and Service api, HTTPRoute api to it, reported on by {@code controllerName} (null: by nobody). */
    void cluster(String controllerName) {
        f = new Fixture(client);
        GatewayApiFixture.apiBehindHttpRoute(f, 10, """
                {"parentRefs": [{"name": "public"}],
                 "rules": [{"backendRefs": [{"name": "api", "port": 80}]}]}""");
        slices = new EndpointSliceController(client, f.namespace).start().followDeployments();
        if (controllerName != null) {
            implementation = new GatewayImplementation(client, controllerName).start(f.namespace);
        }
    }

    Canary canary(double weight) {
        Canary c = GatewayApiFixture.canary(f, weight);
        c.getSpec().canary.replicas = 1;
        return c;
    }

    CanaryStatus status() {
        return f.getCanary("api").getStatus();
    }

    /** Creates the Canary and waits until the routes carry its weight. */
    void converge(Canary c) {
        f.create(c);
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> status() != null && Double.valueOf(c.getSpec().weight).equals(
                status().weight) && Conditions.isTrue(status().conditions, "TrafficApplied"));
    }

    /** status.observed once a measurement is in. */
    ObservedShare measured() {
        await().atMost(DEADLINE).until(() -> {
            observed.measureAll();
            ObservedShare o = status().observed;
            return o != null && (o.share != null || o.message != null && !o.message.startsWith("settling"));
        });
        return status().observed;
    }

    @Test
    void anotherImplementationsRouteHasNoIstioMetricsToObserve() {
        cluster(ENVOY);
        converge(canary(10));
        ObservedShare o = measured();
        assertEquals(NO_ISTIO, o.message);
        assertEquals(null, o.share, "no share guessed");
    }

    @Test
    void aRouteNobodyReportsOnYetIsSaidSoRatherThanMeasured() {
        cluster(null);
        converge(canary(10));
        ObservedShare o = measured();
        assertEquals("no Istio metrics known: HTTPRoute api has no status yet, so no implementation has said whether"
                + " Istio serves it (Serin measures Istio's istio_requests_total)", o.message);
        assertEquals(null, o.share);
    }

    @Test
    void aRouteIstioServesIsMeasured() {
        cluster(GatewayImplementation.ISTIO);
        converge(canary(10));
        ObservedShare o = measured();
        assertTrue(o.share != null || !o.message.contains("Istio metrics"), "Prometheus was asked: " + o.message);
    }

    @Test
    void theBuiltInAnalysisIsInconclusiveAndTheStepHolds() {
        cluster(ENVOY);
        Canary c = canary(10);
        AutopilotRuns.autopilot(c, List.of(10.0, 20.0), "5m", "10m");
        AnalysisSpec a = new AnalysisSpec();
        a.failureThreshold = 1;
        a.successRate = new AnalysisSpec.Bound();
        a.successRate.min = 99.0;
        c.getSpec().autopilot.analysis = a;
        analysis.real(f.namespace, "api");
        converge(c);
        tick();
        await().atMost(DEADLINE).until(() -> Objects.equals(0, status().stepIndex));

        for (int i = 0; i < 2; i++) { // more checks than failureThreshold: none counts as a failure
            AnalysisRecord r = check();
            assertEquals("Inconclusive", r.result, "check " + i);
            AnalysisRecord.MetricValue successRate = r.metrics.stream().filter(m -> m.name.equals("successRate"))
                    .findFirst().orElseThrow();
            assertEquals(NO_ISTIO, successRate.message);
            assertEquals(10.0, f.getCanary("api").getSpec().weight, "the step holds");
            assertEquals(0, status().failedChecks);
            assertNotEquals(Phase.Aborted, status().phase);
            assertFalse(r.metrics.stream().anyMatch(m -> m.name.equals("requests")),
                    "no minRequests: no count to report, and none guessed");
        }
    }

    void tick() {
        AutopilotRuns.tick(controller, autopilot, DEADLINE);
    }

    /** One interval on, and the check it brings. */
    AnalysisRecord check() {
        return AutopilotRuns.check(this::status, controller, autopilot, clock, Duration.ofMinutes(5), DEADLINE);
    }
}
