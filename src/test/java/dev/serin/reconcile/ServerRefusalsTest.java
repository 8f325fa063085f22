package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.config.SerinConfig;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.ConditionTypes;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusMock;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the strict API server refuses, as a real one would, and what Serin makes of each refusal. */
@QuarkusTest
@WithStrictApiServer
class ServerRefusalsTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);

    /**
     * The default longest back-off (the tests' own is 500 ms) for how long a refusal holds a Canary back, installed for
     * each test in the shared application: a refusal holding a Canary back shows.
     */
    @BeforeEach
    void defaultLongestBackoff() {
        var beans = Arc.container();
        QuarkusMock.installMockForType(new ApiRejections(beans.instance(StatusWriter.class).get(),
                beans.instance(EventRecorder.class).get(), beans.instance(Clock.class).get(),
                config.reconcile().minBackoff(), Duration.ofSeconds(30)),
                ApiRejections.class);
    }

    @Strict
    KubernetesClient client;
    @Strict
    StrictApiServer server;
    @Inject
    SerinConfig config;

    @Inject
    Controller controller;
    final List<Fixture> fixtures = new java.util.ArrayList<>();

    Fixture fixture() {
        Fixture f = new Fixture(client);
        fixtures.add(f);
        return f;
    }

    /**
     * The application is shared: a refused Canary left behind would be tried again at every (test-short) longest
     * back-off for good, and controller.idle() would never hold for the classes after this one.
     */
    @AfterEach
    void deleteCanaries() {
        for (Fixture f : fixtures) {
            client.resources(Canary.class).inNamespace(f.namespace).list().getItems().forEach(c -> client
                    .resources(Canary.class).inNamespace(f.namespace).withName(c.getMetadata().getName()).delete());
            await().atMost(DEADLINE).until(() -> client.resources(Canary.class).inNamespace(f.namespace).list()
                    .getItems().isEmpty());
        }
        await().atMost(DEADLINE).until(controller::idle);
    }

    static boolean applied(Fixture f, String name) {
        Canary c = f.getCanary(name);
        return c != null && c.getStatus() != null && Conditions.isTrue(c.getStatus().conditions, "TrafficApplied");
    }

    /** Canary "api" at 3 % once its VirtualService or DestinationRule is deleted just before Serin first writes it. */
    private Fixture deletedBetweenReadAndWrite(String kind) {
        Fixture f = fixture().service("api", 40);
        server.deleteBeforeSerinsNextWrite(kind.equals("VirtualService") ? f.istio.virtualServices()
                : f.istio.destinationRules(), f.namespace, "api");
        f.create(f.canary("api", "api", 3, "v2"));
        f.markReady("api-canary");
        return f;
    }

    /**
     * A 404 on a write means the object went after the cache read: the delete's event brings the next pass, which
     * finds it missing and makes what the Canary needs (a refusal would hold it Failed until the longest back-off).
     */
    @Test
    void aDestinationRuleDeletedBetweenTheCacheReadAndTheWriteIsHandledOnTheNextEvent() {
        Fixture f = deletedBetweenReadAndWrite("DestinationRule");
        await().atMost(DEADLINE).until(() -> applied(f, "api") && f.mainRoute("api").equals(List.of("stable=97", "canary=3")));
        assertEquals(List.of("stable", "canary"), f.dr("api").at("/spec/subsets").findValuesAsText("name"));
        assertTrue(f.eventReasons().stream().noneMatch("ApiRejected"::equals), f.eventReasons()::toString);
        assertTrue(f.getCanary("api").getStatus().phase != Phase.Failed);
    }

    @Test
    void aVirtualServiceDeletedBetweenTheCacheReadAndTheWriteIsHandledOnTheNextEvent() {
        Fixture f = deletedBetweenReadAndWrite("VirtualService");
        // the listed VirtualService is missing now: Serin makes one with the host's route, as for any missing one
        await().atMost(DEADLINE).until(() -> applied(f, "api") && f.mainRoute("api").equals(List.of("stable=97", "canary=3")));
        assertTrue(f.eventReasons().stream().noneMatch("ApiRejected"::equals), f.eventReasons()::toString);
    }

    /** While a refusal holds (until the longest back-off, 30 s here), a person's abort is still carried out at once. */
    @Test
    void anAbortIsCarriedOutWhileARefusalHolds() {
        Fixture f = fixture().service("api", 40);
        Canary canary = f.canary("api", "api", 3, "v2");
        canary.getSpec().canary.labels = Map.of("team", "web shop"); // the server refuses the canary Deployment
        f.create(canary);
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("ApiRejected"));
        client.resources(Canary.class).inNamespace(f.namespace).withName("api").patch(PatchContext.of(
                PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"serin.dev/action\":\"abort\"}}}");
        await().atMost(Duration.ofSeconds(10)).until(() -> f.getCanary("api").getStatus().phase == Phase.Aborted
                && f.getCanary("api").getMetadata().getAnnotations().get("serin.dev/action") == null);
        assertEquals(List.of("stable=-"), f.mainRoute("api"));
    }

    /** A pod label value with a space passes Serin's checks, but the API server refuses the canary Deployment. */
    @Test
    void aCanaryDeploymentTheServerRefusesFailsTheCanaryWithTheServersMessageAndSendsNoTraffic() {
        Fixture f = fixture().service("api", 40);
        Canary canary = f.canary("api", "api", 3, "v2");
        canary.getSpec().canary.labels = Map.of("team", "web shop");
        f.create(canary);
        await().atMost(DEADLINE).until(() -> f.getCanary("api").getStatus() != null
                && f.getCanary("api").getStatus().phase == Phase.Failed);
        Condition traffic = f.getCanary("api").getStatus().conditions.stream()
                .filter(c -> ConditionTypes.TRAFFIC_APPLIED.equals(c.getType())).findFirst().orElseThrow();
        assertEquals("False", traffic.getStatus());
        assertEquals("ApiRejected", traffic.getReason());
        assertTrue(traffic.getMessage().contains("Deployment.apps \"api-canary\" is invalid")
                && traffic.getMessage().contains("spec.template.metadata.labels"), traffic.getMessage());
        assertNull(f.deploymentNow("api-canary"));
        assertTrue(f.mainRoute("api").stream().noneMatch(d -> d.startsWith("canary=")), f.mainRoute("api")::toString);
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains("ApiRejected"));
        assertEquals(1, f.eventReasons().stream().filter("ApiRejected"::equals).count());
    }

    @Test
    void theCrdRefusesWhatSerinCannotUseAtTheDoor() {
        Fixture f = fixture().service("api", 4);
        Canary longName = f.canary("a".repeat(57), "api", 3, "v2");
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> f.create(longName));
        assertEquals(422, e.getCode());
        assertTrue(e.getStatus().getMessage().contains("56"), e.getStatus().getMessage());

        Canary threeDecimals = f.canary("api", "api", 1.234, "v2");
        e = assertThrows(KubernetesClientException.class, () -> f.create(threeDecimals));
        assertEquals(422, e.getCode());
        assertEquals("spec.weight", e.getStatus().getDetails().getCauses().get(0).getField());

        Canary noSpec = f.canary("api", "api", 3, "v2");
        noSpec.setSpec(null);
        assertEquals(422, assertThrows(KubernetesClientException.class, () -> f.create(noSpec)).getCode());
        assertEquals(List.of(), client.resources(Canary.class).inNamespace(f.namespace).list().getItems());
    }
}
