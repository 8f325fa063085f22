package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A target synced by Argo CD: the canary is not claimed by it, and promote waits for git instead of writing. */
@QuarkusTest
@WithStrictApiServer
class PromoteUnderGitOpsTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);
    static final PatchContext AS_ARGO_CD = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
            .withFieldManager("argocd-controller").build();

    @Strict
    KubernetesClient client;

    @Test
    void promoteWaitsForGitThenFinishes() {
        Fixture f = new Fixture(client).service("api", 4);
        client.apps().deployments().inNamespace(f.namespace).withName("api").patch(AS_ARGO_CD, """
                {"metadata": {"labels": {"app.kubernetes.io/instance": "shop", "kustomize.toolkit.fluxcd.io/name": "apps"},
                              "annotations": {"argocd.argoproj.io/tracking-id": "shop:apps/Deployment:web/api"}}}""");
        f.create(f.canary("api", "api", 10, "v2"));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=9", "canary=1")));
        // promote asks for a Canary Serin has seen serving: Progressing at its weight (PromoteGate)
        await().atMost(DEADLINE).until(() -> f.getCanary("api").getStatus().phase == Phase.Progressing);
        var canaryMeta = f.deploymentNow("api-canary").getMetadata();
        assertTrue(canaryMeta.getLabels().keySet().stream().noneMatch(GitOps::isTracking), canaryMeta.getLabels().toString());
        assertTrue(canaryMeta.getAnnotations().keySet().stream().noneMatch(GitOps::isTracking));

        client.resources(Canary.class).inNamespace(f.namespace).withName("api")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"serin.dev/action\":\"promote\"}}}");
        await().atMost(DEADLINE).until(() -> "WaitingForGit".equals(promoted(f).getReason()));
        assertEquals("False", promoted(f).getStatus());
        assertTrue(promoted(f).getMessage().contains("registry.example/api:v2"), promoted(f).getMessage());
        assertEquals("registry.example/api:v1", image(f, "api"), "Serin left the target to git");
        assertEquals(List.of("stable=9", "canary=1"), f.mainRoute("api"), "the canary keeps serving");
        assertTrue(f.deploymentNow("api-canary") != null);

        // git gets the new image; Argo CD syncs it and the Deployment controller rolls it out
        client.apps().deployments().inNamespace(f.namespace).withName("api").patch(AS_ARGO_CD, """
                {"spec": {"template": {"spec": {"containers": [
                  {"name": "app", "image": "registry.example/api:v2"}, {"name": "sidecar", "image": "registry.example/sidecar:1"}]}}}}""");
        f.markReady("api");
        await().atMost(DEADLINE).until(() -> f.getCanary("api").getStatus().phase == Phase.Succeeded);
        assertEquals(List.of("-=-"), f.mainRoute("api"));
        assertNull(f.deploymentNow("api-canary"));
        assertEquals("True", promoted(f).getStatus());
    }

    private static String image(Fixture f, String deployment) {
        return f.deploymentNow(deployment).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static Condition promoted(Fixture f) {
        var status = f.getCanary("api").getStatus();
        Condition c = status == null ? null : Conditions.find(status.conditions, "Promoted");
        return c == null ? new Condition() : c;
    }
}
