package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.ConditionTypes;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the strict API server refuses, as a real one would, and what Serin makes of each refusal. */
@QuarkusTest
@WithStrictApiServer
class ServerRefusalsTest {
    static final Duration DEADLINE = Duration.ofSeconds(20);

    @Strict
    KubernetesClient client;

    /** A pod label value with a space passes Serin's checks, but the API server refuses the canary Deployment. */
    @Test
    void aCanaryDeploymentTheServerRefusesFailsTheCanaryWithTheServersMessageAndSendsNoTraffic() {
        Fixture f = new Fixture(client).service("api", 40);
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
        Fixture f = new Fixture(client).service("api", 4);
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
