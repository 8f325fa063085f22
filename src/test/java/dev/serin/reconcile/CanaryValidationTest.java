package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.ContainerPatch;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad input sets Valid=False with a reason, records an Event, and changes nothing that serves traffic. */
@QuarkusTest
@WithStrictApiServer
class CanaryValidationTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;
    @Strict
    StrictApiServer server;

    @AfterEach
    void currentCrd() {
        server.oldCanaryCrd(false);
    }
    @Inject
    Controller controller;

    static Condition awaitInvalid(Fixture f, String canary, String reason) {
        await().atMost(DEADLINE).until(() -> {
            Canary c = f.getCanary(canary);
            Condition valid = c == null || c.getStatus() == null ? null : Conditions.find(c.getStatus().conditions, "Valid");
            return valid != null && "False".equals(valid.getStatus()) && reason.equals(valid.getReason());
        });
        assertEquals(Phase.Failed, f.getCanary(canary).getStatus().phase);
        await().atMost(DEADLINE).until(() -> f.eventReasons().contains(reason));
        return Conditions.find(f.getCanary(canary).getStatus().conditions, "Valid");
    }

    @Test
    void aBadWeightOnARunningCanaryKeepsTheTrafficItHas() {
        server.oldCanaryCrd(true); // a cluster whose Canary CRD predates its rules stores what Serin must refuse
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 3, "v2"));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));
        JsonNode vs = f.vs("api");
        f.setWeight("api", 0.255);
        Condition valid = awaitInvalid(f, "api", "InvalidWeight");
        assertTrue(valid.getMessage().contains("at most 2 decimals"), valid.getMessage());
        assertEquals(vs, f.vs("api"));
        f.setWeight("api", 150);
        await().atMost(DEADLINE).until(() -> Conditions.find(f.getCanary("api").getStatus().conditions, "Valid")
                .getMessage().contains("150"));
        assertEquals(vs, f.vs("api"));
        f.setWeight("api", 5);
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=19", "canary=1")));
    }

    @Test
    void aMissingTargetCreatesNothing() {
        Fixture f = new Fixture(client).service("api", 4);
        JsonNode vs = f.vs("api");
        JsonNode dr = f.dr("api");
        Canary c = f.canary("ghost", "nothere", 3, "v2");
        c.getSpec().traffic = new dev.serin.api.v1alpha1.TrafficSpec();
        c.getSpec().traffic.virtualServices = List.of("api");
        c.getSpec().traffic.destinationRule = "api";
        f.create(c);
        Condition valid = awaitInvalid(f, "ghost", "TargetNotFound");
        assertTrue(valid.getMessage().contains("nothere"));
        assertNull(f.deploymentNow("ghost-canary"));
        assertEquals(vs, f.vs("api"));
        assertEquals(dr, f.dr("api"));
    }

    @Test
    void aContainerTheTargetDoesNotHaveIsNamed() {
        Fixture f = new Fixture(client).service("api", 4);
        Canary c = f.canary("api", "api", 3, "v2");
        c.getSpec().canary.containers = List.of(new ContainerPatch("web", "x:1"));
        f.create(c);
        Condition valid = awaitInvalid(f, "api", "UnknownContainer");
        assertTrue(valid.getMessage().contains("web"));
        assertNull(f.deploymentNow("api-canary"));
    }

    @Test
    void aVirtualServiceWithoutARouteToTheHostIsRefused() {
        Fixture f = new Fixture(client);
        f.deployment("api", 4, Map.of("app", "api", "version", "v1"));
        f.istio(f.virtualService("api", "{\"hosts\": [\"api\"], \"http\": [{\"route\": [{\"destination\": {\"host\": \"other\"}}]}]}"));
        JsonNode vs = f.vs("api");
        f.create(f.canary("api", "api", 3, "v2"));
        awaitInvalid(f, "api", "NoRouteForHost");
        assertEquals(vs, f.vs("api"));
        assertNull(f.deploymentNow("api-canary"));
    }

    @Test
    void stablePodsWithoutTheSubsetLabelCannotBeToldApart() {
        Fixture f = new Fixture(client);
        f.deployment("api", 4, Map.of("app", "api"));
        f.create(f.canary("api", "api", 3, "v2"));
        Condition valid = awaitInvalid(f, "api", "MissingSubsetLabel");
        assertTrue(valid.getMessage().contains("version"));
        assertNull(f.vs("api"));
        assertNull(f.dr("api"));
    }

    @Test
    void aSecondCanaryOnTheSameTargetIsRefusedAndItsDeletionLeavesTheFirstAlone() {
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 3, "v2"));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));
        f.create(f.canary("api-two", "api", 50, "v3"));
        Condition valid = awaitInvalid(f, "api-two", "TargetAlreadyHasCanary");
        assertTrue(valid.getMessage().contains("api"));
        assertNull(f.deploymentNow("api-two-canary"));

        client.resources(Canary.class).inNamespace(f.namespace).withName("api-two").delete();
        await().atMost(DEADLINE).until(() -> f.getCanary("api-two") == null);
        assertEquals(List.of("stable=97", "canary=3"), f.mainRoute("api"));
        assertEquals("v2", f.dr("api").at("/spec/subsets/2/labels/version").asText());
    }

    // stored before the CRD required spec, or written by a client that skipped validation
    @Test
    void aCanaryWithoutSpecFailsOnceAndGoesAtOnceWhenDeleted() {
        server.oldCanaryCrd(true); // a cluster whose Canary CRD predates its rules stores what Serin must refuse
        Fixture f = new Fixture(client).service("api", 4);
        JsonNode vs = f.vs("api");
        Canary bare = new Canary();
        bare.setMetadata(new ObjectMetaBuilder().withName("bare").withNamespace(f.namespace).build());
        f.create(bare);
        Canary held = new Canary(); // an older Serin already put its finalizer on this one
        held.setMetadata(new ObjectMetaBuilder().withName("held").withNamespace(f.namespace)
                .withFinalizers(Canary.FINALIZER).build());
        f.create(held);

        for (String name : List.of("bare", "held")) {
            Condition valid = awaitInvalid(f, name, "MissingSpec");
            assertTrue(valid.getMessage().contains("spec.targetRef.name"), valid.getMessage());
        }
        await().atMost(DEADLINE).until(controller::idle); // no retry loop
        assertEquals(2, f.events().stream().filter(e -> "MissingSpec".equals(e.getReason())
                && "Warning".equals(e.getType())).count());
        assertEquals(vs, f.vs("api"));
        assertNull(f.deploymentNow("bare-canary"));

        for (String name : List.of("bare", "held")) {
            client.resources(Canary.class).inNamespace(f.namespace).withName(name).delete();
            await().atMost(DEADLINE).until(() -> f.getCanary(name) == null);
        }
        assertEquals(vs, f.vs("api"));
    }

    @Test
    void aNameTooLongForItsCanaryDeploymentIsRefusedBeforeAnythingIsWritten() {
        server.oldCanaryCrd(true); // a cluster whose Canary CRD predates its rules stores what Serin must refuse
        Fixture f = new Fixture(client).service("api", 4);
        JsonNode vs = f.vs("api");
        JsonNode dr = f.dr("api");
        String name = "checkout-api-canary-for-the-payment-provider-migration-q3"; // 57 characters
        f.create(f.canary(name, "api", 3, "v2"));
        Condition valid = awaitInvalid(f, name, "InvalidName");
        assertTrue(valid.getMessage().contains("at most 56"), valid.getMessage());
        await().atMost(DEADLINE).until(controller::idle);
        assertEquals(1, f.events().stream().filter(e -> "InvalidName".equals(e.getReason())).count());
        assertNull(f.deploymentNow(name + "-canary"));
        assertEquals(vs, f.vs("api"));
        assertEquals(dr, f.dr("api"));
    }

    @Test
    void aVersionThatIsNoLabelValueIsRefusedBeforeAnythingIsWritten() {
        server.oldCanaryCrd(true); // a cluster whose Canary CRD predates its rules stores what Serin must refuse
        Fixture f = new Fixture(client).service("api", 4);
        JsonNode vs = f.vs("api");
        JsonNode dr = f.dr("api");
        f.create(f.canary("api", "api", 3, "v2/beta"));
        Condition valid = awaitInvalid(f, "api", "InvalidVersion");
        assertTrue(valid.getMessage().contains("v2/beta"), valid.getMessage());
        assertNull(f.deploymentNow("api-canary"));
        assertEquals(vs, f.vs("api"));
        assertEquals(dr, f.dr("api"));
    }
}
