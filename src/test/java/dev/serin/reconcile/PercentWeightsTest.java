package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import dev.serin.traffic.istio.PercentWeights;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** serin.istio.percent-weights: whole percents summing to 100, for tools or policies that expect them. */
@QuarkusTest
@WithStrictApiServer
class PercentWeightsTest {
    @BeforeEach
    void percentWeights() {
        PercentWeights.install();
    }

    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;
    @Inject
    EventRecorder events;

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

    /**
     * Held at what the routes carry while more canary pods start, and someone writes a ratio that is no whole percent
     * into them (299:1, 0.33 %): Serin cannot hold that in whole percents, so it says so once and writes nothing,
     * until the pods are ready and the weight can go to spec.weight.
     */
    @Test
    void aHandWrittenRatioThatIsNoWholePercentIsReportedOnceAndLeftAsItIs() {
        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 12, "v2"));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=88", "canary=12")));
        f.setWeight("api", 50); // 20 canary pods wanted, 5 ready: held at 12
        await().atMost(DEADLINE).until(() -> "WaitingForCanaryPods".equals(trafficApplied(f).getReason()));

        Fixture.retryOnConflict(() -> client.genericKubernetesResources(f.istio.virtualServices())
                .inNamespace(f.namespace).withName("api").edit(vs -> {
                    @SuppressWarnings("unchecked")
                    var http = (List<Map<String, Object>>) ((Map<String, Object>) vs.getAdditionalProperties()
                            .get("spec")).get("http");
                    @SuppressWarnings("unchecked")
                    var route = (List<Map<String, Object>>) http.get(1).get("route");
                    route.get(0).put("weight", 299);
                    route.get(1).put("weight", 1);
                    return vs;
                }));
        await().atMost(DEADLINE).until(() -> "WeightNotWholePercent".equals(trafficApplied(f).getReason()));
        Condition traffic = trafficApplied(f);
        assertEquals("False", traffic.getStatus());
        assertTrue(traffic.getMessage().contains("0.33"), traffic.getMessage());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(6))
                .until(() -> f.mainRoute("api").equals(List.of("stable=299", "canary=1")));
        await().atMost(DEADLINE).until(events::idle);
        assertEquals(1, warnings(f, "WeightNotWholePercent"));

        f.markReady("api-canary"); // the pods for 50 % are ready: 50 % is a whole percent
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=50", "canary=50"))
                && "True".equals(trafficApplied(f).getStatus()));
    }

    static Condition trafficApplied(Fixture f) {
        var status = f.getCanary("api").getStatus();
        Condition c = status == null ? null : Conditions.find(status.conditions, "TrafficApplied");
        return c == null ? new Condition() : c;
    }

    /** Warning Events of that reason, an identical one counted on the first as client-go does. */
    static long warnings(Fixture f, String reason) {
        return f.events().stream().filter(e -> reason.equals(e.getReason()) && "Warning".equals(e.getType()))
                .mapToLong(e -> e.getCount() == null ? 1 : e.getCount()).sum();
    }
}
