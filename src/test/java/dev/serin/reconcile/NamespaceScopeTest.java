package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.serin.Fixture;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** serin.namespaces restricts what Serin watches and touches. */
@QuarkusTest
@WithStrictApiServer
@TestProfile(NamespaceScopeTest.Profile.class)
class NamespaceScopeTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("serin.namespaces", "team-a,team-b");
        }
    }

    @Strict
    KubernetesClient client;

    @Test
    void canariesOutsideTheListedNamespacesAreLeftAlone() {
        Fixture watched = new Fixture(client, "team-b").service("api", 4);
        Fixture other = new Fixture(client, "team-c").service("api", 4);
        other.create(other.canary("api", "api", 3, "v2"));
        watched.create(watched.canary("api", "api", 25, "v2"));
        watched.markReady("api-canary");
        await().atMost(Duration.ofSeconds(15)).until(() -> watched.mainRoute("api").equals(List.of("stable=3", "canary=1")));
        assertNull(other.getCanary("api").getStatus());
        assertNull(other.deploymentNow("api-canary"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> other.mainRoute("api").equals(List.of("-=-")));
    }
}
