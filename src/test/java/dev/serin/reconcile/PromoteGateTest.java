package dev.serin.reconcile;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Promote copies a canary's containers into the target Deployment: only a valid Canary, Progressing or Paused, whose
 * canary pods are ready and whose weight is applied and above 0. Asked by REST (409 naming the reason), by the
 * annotation (dropped with one PromoteRefused Event), or found in phase Promoting: nothing reaches the target then.
 */
@QuarkusTest
@WithStrictApiServer
class PromoteGateTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);
    static final String V1 = "registry.example/api:v1";

    @Strict
    KubernetesClient client;
    @Inject
    Controller controller;
    @Inject
    EventRecorder recorder;
    @Inject
    CanaryPromoter promoter;

    Fixture f;
    final List<String> canaries = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        for (String name : canaries) {
            client.resources(Canary.class).inNamespace(f.namespace).withName(name).delete();
        }
        for (String name : canaries) {
            await().atMost(DEADLINE).until(() -> f.getCanary(name) == null);
        }
    }

    /** Canary "api" on Deployment api at 10 %, its pods ready, Progressing. */
    void start() {
        f = new Fixture(client).service("api", 4);
        f.create(f.canary("api", "api", 10, "v2"));
        canaries.add("api");
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=9", "canary=1")));
        await().atMost(DEADLINE).until(() -> phase("api") == Phase.Progressing);
    }

    /** A second Canary on the same target: Valid=False TargetAlreadyHasCanary. */
    void second() {
        f.create(f.canary("api-next", "api", 10, "v3"));
        canaries.add("api-next");
        await().atMost(DEADLINE).until(() -> "TargetAlreadyHasCanary".equals(valid("api-next").getReason()));
    }

    Phase phase(String name) {
        Canary c = f.getCanary(name);
        return c == null || c.getStatus() == null ? null : c.getStatus().phase;
    }

    Condition valid(String name) {
        Canary c = f.getCanary(name);
        Condition valid = c.getStatus() == null ? null : Conditions.find(c.getStatus().conditions, "Valid");
        return valid == null ? new Condition() : valid;
    }

    String targetImage() {
        return f.deploymentNow("api").getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    ValidatableResponse post(String name, String action) {
        return given().contentType(ContentType.JSON)
                .post("/api/v1/namespaces/{ns}/canaries/{name}/{action}", f.namespace, name, action).then();
    }

    /** As {@code kubectl canary promote} asks: the annotation, with no REST in between. */
    void annotate(String name, String action) {
        client.resources(Canary.class).inNamespace(f.namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"serin.dev/action\":\"" + action + "\"}}}");
    }

    String action(String name) {
        Map<String, String> annotations = f.getCanary(name).getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get("serin.dev/action");
    }

    /** The PromoteRefused Events on {@code name}, once every Event Serin recorded has been sent. */
    List<Event> refusals(String name) {
        await().atMost(DEADLINE).until(() -> controller.idle() && recorder.idle());
        return f.events().stream().filter(e -> name.equals(e.getInvolvedObject().getName()))
                .filter(e -> "PromoteRefused".equals(e.getReason())).toList();
    }

    void assertOneRefusal(String name, String reason) {
        await().atMost(DEADLINE).until(() -> !refusals(name).isEmpty());
        List<Event> refusals = refusals(name);
        assertEquals(1, refusals.size(), refusals.toString());
        assertEquals(1, refusals.get(0).getCount());
        assertTrue(refusals.get(0).getMessage().contains(reason), refusals.get(0).getMessage());
    }

    /** The canary pods stop being ready, as the Deployment controller would report it. */
    void canaryPodsNotReady() {
        Fixture.retryOnConflict(() -> {
            var d = f.deploymentNow("api-canary");
            d.getStatus().setReadyReplicas(0);
            d.getStatus().setAvailableReplicas(0);
            return client.apps().deployments().inNamespace(f.namespace).resource(d).updateStatus();
        });
    }

    @Test
    void aSecondCanaryOnTheTargetIsNotPromoted() {
        start();
        second();
        post("api-next", "promote").statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("/not-promotable"))
                .body("detail", containsString("Invalid: TargetAlreadyHasCanary"));
        assertEquals(null, action("api-next"), "nothing written");

        annotate("api-next", "promote");
        await().atMost(DEADLINE).until(() -> action("api-next") == null);
        assertOneRefusal("api-next", "Invalid: TargetAlreadyHasCanary");
        assertEquals(V1, targetImage());
        assertEquals(Phase.Failed, phase("api-next"));
        assertEquals(List.of("stable=9", "canary=1"), f.mainRoute("api"), "the first canary serves on");
    }

    @Test
    void anAbortedCanaryIsResumedBeforeItIsPromoted() {
        start();
        post("api", "abort").statusCode(200);
        await().atMost(DEADLINE).until(() -> phase("api") == Phase.Aborted && action("api") == null);
        post("api", "promote").statusCode(409).body("detail", containsString("cannot be promoted: Aborted"));

        annotate("api", "promote");
        await().atMost(DEADLINE).until(() -> action("api") == null);
        assertOneRefusal("api", "Aborted");
        assertEquals(Phase.Aborted, phase("api"));
        assertEquals(V1, targetImage());

        post("api", "resume").statusCode(200);
        await().atMost(DEADLINE).until(() -> phase("api") == Phase.Progressing
                && Double.valueOf(10).equals(f.getCanary("api").getStatus().weight));
        await().atMost(DEADLINE).until(controller::idle);
        post("api", "promote").statusCode(200);
        await().atMost(DEADLINE).until(() -> "registry.example/api:v2".equals(targetImage()));
    }

    @Test
    void canaryPodsThatAreNotReadyAreNotPromoted() {
        start();
        canaryPodsNotReady();
        await().atMost(DEADLINE).until(() -> !Conditions.isTrue(f.getCanary("api").getStatus().conditions, "CanaryReady"));
        post("api", "promote").statusCode(409).body("detail", containsString("cannot be promoted: NotReady"));
        assertEquals(V1, targetImage());
    }

    /**
     * A Canary found in phase Promoting (left by an autopilot, or by an older Serin that had no gate) that is not
     * promotable: the promote stops before the target is written, and the Canary is reconciled as any other.
     */
    @Test
    void aPromotingCanaryThatIsInvalidWritesNothingToTheTarget() {
        start();
        second();
        Fixture.retryOnConflict(() -> {
            Canary c = f.getCanary("api-next");
            c.getStatus().phase = Phase.Promoting;
            return client.resources(Canary.class).inNamespace(f.namespace).resource(c).updateStatus();
        });
        await().atMost(DEADLINE).until(() -> phase("api-next") != Phase.Promoting || !V1.equals(targetImage()));
        assertEquals(V1, targetImage(), "the refused canary's containers reached the target");
        await().atMost(DEADLINE).until(() -> phase("api-next") == Phase.Failed);
        assertOneRefusal("api-next", "Invalid: TargetAlreadyHasCanary");
        assertEquals(V1, targetImage());
        assertEquals("PromoteRefused", Conditions.find(f.getCanary("api-next").getStatus().conditions, "Autopilot")
                .getReason());
    }

    /** Once the target carries the canary's containers the promote is past its point of no return: it finishes. */
    @Test
    void aPromoteThatReachedTheTargetFinishesWhateverHappensToTheCanaryPods() {
        start();
        post("api", "promote").statusCode(200);
        await().atMost(DEADLINE).until(() -> "registry.example/api:v2".equals(targetImage()));
        canaryPodsNotReady();
        f.markReady("api"); // the stable rollout completes
        await().atMost(Duration.ofSeconds(30)).until(() -> phase("api") == Phase.Succeeded);
        assertEquals(List.of("-=-"), f.mainRoute("api"));
        assertEquals(List.of(), refusals("api"));
    }

    /** Issue 23: a pass on a cache still showing Promoting, after the promote finished, recorded Promoted again. */
    @Test
    void aPassOnACacheBehindTheFinishedPromoteWritesNothingAndSaysNothingAgain() {
        start();
        post("api", "promote").statusCode(200);
        await().atMost(DEADLINE).until(() -> "registry.example/api:v2".equals(targetImage()));
        f.markReady("api"); // the stable rollout completes
        await().atMost(Duration.ofSeconds(30)).until(() -> phase("api") == Phase.Succeeded);
        await().atMost(DEADLINE).until(() -> controller.idle() && recorder.idle());
        Map<String, String> before = f.snapshot();

        Canary behind = f.getCanary("api");
        behind.getStatus().phase = Phase.Promoting; // as the cache had it before the Succeeded write's watch event
        promoter.promote(behind);

        await().atMost(DEADLINE).until(() -> controller.idle() && recorder.idle());
        assertEquals(before, f.snapshot());
        List<Event> promoted = f.events().stream().filter(e -> "Promoted".equals(e.getReason())).toList();
        assertEquals(1, promoted.size(), promoted.toString());
        assertEquals(1, promoted.get(0).getCount());
    }
}
