package dev.serin.observed;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.TestClock;
import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.ObservedShare;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.api.v1alpha1.TrafficSpec;
import dev.serin.autopilot.Autopilot;
import dev.serin.autopilot.ScriptedAnalysis;
import dev.serin.autopilot.StubAnalysisBackends;
import dev.serin.reconcile.Conditions;
import dev.serin.reconcile.Controller;
import dev.serin.strict.EndpointSliceController;
import dev.serin.strict.GatewayImplementation;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
            client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
            await().atMost(DEADLINE).until(() -> f.getCanary("api") == null);
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
        f.deployment("api", 10, Map.of("app", "api", "version", "v1"));
        f.markReady("api");
        client.services().inNamespace(f.namespace).resource(new ServiceBuilder().withNewMetadata().withName("api")
                .endMetadata().withNewSpec().withSelector(Map.of("app", "api"))
                .addNewPort().withName("http").withPort(80).withTargetPort(new IntOrString(8080)).endPort()
                .endSpec().build()).create();
        GenericKubernetesResource route = new GenericKubernetesResource();
        route.setApiVersion("gateway.networking.k8s.io/v1");
        route.setKind("HTTPRoute");
        route.setMetadata(new ObjectMetaBuilder().withName("api").withNamespace(f.namespace).build());
        route.setAdditionalProperty("spec", Fixture.JSON.unmarshal("""
                {"parentRefs": [{"name": "public"}],
                 "rules": [{"backendRefs": [{"name": "api", "port": 80}]}]}""", Map.class));
        client.genericKubernetesResources(GatewayImplementation.HTTP_ROUTES).inNamespace(f.namespace).resource(route)
                .create();
        slices = new EndpointSliceController(client, f.namespace).start().followDeployments();
        if (controllerName != null) {
            implementation = new GatewayImplementation(client, controllerName).start(f.namespace);
        }
    }

    Canary canary(double weight) {
        Canary c = f.canary("api", "api", weight, "v2");
        c.getSpec().canary.replicas = 1;
        c.getSpec().traffic = new TrafficSpec();
        c.getSpec().traffic.httpRoutes = List.of("api");
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
        c.getSpec().autopilot = new AutopilotSpec();
        c.getSpec().autopilot.steps = List.of(10.0, 20.0);
        c.getSpec().autopilot.interval = "5m";
        c.getSpec().autopilot.progressDeadline = "10m";
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
        await().atMost(DEADLINE).until(controller::idle);
        autopilot.tick();
    }

    AnalysisRecord last() {
        List<AnalysisRecord> records = status().analysis;
        return records == null || records.isEmpty() ? null : records.get(records.size() - 1);
    }

    /** One interval on, and the check it brings. */
    AnalysisRecord check() {
        String before = last() == null ? null : last().time;
        clock.advance(Duration.ofMinutes(5));
        tick();
        await().atMost(DEADLINE).until(() -> last() != null && !Objects.equals(before, last().time));
        await().atMost(DEADLINE).until(() -> controller.idle() && autopilot.idle());
        return last();
    }
}
