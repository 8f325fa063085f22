package dev.serin.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.awaitility.Awaitility.await;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class CanaryTrafficTest {
    @Inject
    KubernetesClient client;

    @Test
    void canaryGetsExactlyTheWeightAskedFor() {
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 3, "v2"));

        f.markReady("api-canary");
        await().atMost(Duration.ofSeconds(10)).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            Canary c = f.getCanary("api");
            return c.getStatus() != null && c.getStatus().phase == Phase.Progressing && Double.valueOf(3).equals(c.getStatus().weight);
        });
        Canary c = f.getCanary("api");
        assertEquals("api-canary", c.getStatus().canaryDeployment);
        assertEquals(2, c.getStatus().replicas); // ceil(40 × 3 %) = 2
    }
}
