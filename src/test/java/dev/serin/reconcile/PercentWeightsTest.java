package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;

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

/** serin.istio.percent-weights: whole percents summing to 100, for tools or policies that expect them. */
@QuarkusTest
@WithStrictApiServer
@TestProfile(PercentWeightsTest.Profile.class)
class PercentWeightsTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("serin.istio.percent-weights", "true");
        }
    }

    @Strict
    KubernetesClient client;

    @Test
    void wholePercentsAreWrittenAsPercentsAndFractionsAreRefused() {
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 12, "v2"));
        f.markReady("api-canary");
        await().atMost(Duration.ofSeconds(15)).until(() -> f.mainRoute("api").equals(List.of("stable=88", "canary=12")));
        f.setWeight("api", 0.25);
        CanaryValidationTest.awaitInvalid(f, "api", "FractionalWeightUnsupported");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> f.mainRoute("api").equals(List.of("stable=88", "canary=12")));
    }
}
