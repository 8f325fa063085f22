package dev.serin;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithStrictApiServer
class MetricsAndHealthTest {
    @Strict
    KubernetesClient client;

    @Test
    void readyOnceTheCachesHaveSynced() {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/ready")
                .then().statusCode(200).body("checks.find { it.name == 'informers-synced' }.status", equalTo("UP")));
    }

    @Test
    void weightsChangesAndReconcilesArePublished() {
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 0.5, "v2"));
        f.markReady("api-canary");
        await().atMost(Duration.ofSeconds(15)).until(() -> f.mainRoute("api").equals(List.of("stable=199", "canary=1")));
        String tags = "name=\"api\",namespace=\"" + f.namespace + "\"";
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("serin_canary_weight{" + tags + "} 0.5"))
                .body(containsString("serin_canary_desired_weight{" + tags + "} 0.5"))
                .body(containsString("serin_weight_changes_total"))
                .body(containsString("serin_reconcile_seconds_count"))
                .body(containsString("serin_reconcile_errors_total")));
    }
}
