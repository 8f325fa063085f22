package dev.serin.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.CanaryTemplate;
import dev.serin.api.v1alpha1.ContainerPatch;
import dev.serin.api.v1alpha1.TargetRef;
import dev.serin.traffic.Weight;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanaryDeploymentBuilderTest {
    static Deployment target(int replicas) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("api").withNamespace("web").withLabels(Map.of("app", "api"))
                .withAnnotations(Map.of("deployment.kubernetes.io/revision", "7")).endMetadata()
                .withNewSpec().withReplicas(replicas).withPaused(true)
                .withNewSelector().withMatchLabels(Map.of("app", "api", "version", "v1")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "api", "version", "v1"))
                .withAnnotations(Map.of("prometheus.io/scrape", "true")).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("app").withImage("api:v1")
                .addNewEnv().withName("MODE").withValue("stable").endEnv()
                .addNewEnv().withName("FLAG").withValue("off").endEnv().endContainer()
                .addNewContainer().withName("proxy").withImage("proxy:1").endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    static Canary canary() {
        Canary c = new Canary();
        c.setMetadata(new ObjectMetaBuilder().withName("api").withNamespace("web").withUid("uid-1").build());
        c.setSpec(new CanarySpec());
        c.getSpec().targetRef = new TargetRef("api");
        c.getSpec().weight = 3.0;
        c.getSpec().canary = new CanaryTemplate();
        c.getSpec().canary.version = "4f2c1e9";
        ContainerPatch app = new ContainerPatch("app", "api:4f2c1e9");
        app.env = List.of(new EnvVar("FLAG", "on", null), new EnvVar("NEW", "1", null));
        c.getSpec().canary.containers = List.of(app);
        c.getSpec().canary.labels = Map.of("track", "canary");
        c.getSpec().canary.annotations = Map.of("note", "try");
        return c;
    }

    @Test
    void copiesTheStableTemplateAndAppliesTheCanaryPatch() {
        Canary canary = canary();
        Deployment target = target(40);
        Deployment d = CanaryDeploymentBuilder.build(canary, ResolvedCanary.of(canary), target, 2);

        assertEquals("api-canary", d.getMetadata().getName());
        assertEquals(2, d.getSpec().getReplicas());
        assertNull(d.getSpec().getPaused());
        var pod = d.getSpec().getTemplate().getMetadata();
        assertEquals("4f2c1e9", pod.getLabels().get("version"));
        assertEquals("api", pod.getLabels().get(Canary.CANARY_LABEL));
        assertEquals("canary", pod.getLabels().get("track"));
        assertEquals("true", pod.getAnnotations().get("prometheus.io/scrape"));
        assertEquals("try", pod.getAnnotations().get("note"));
        // the selector drops the subset label (so it never changes with the version) and adds the Canary's
        assertEquals(Map.of("app", "api", Canary.CANARY_LABEL, "api"), d.getSpec().getSelector().getMatchLabels());

        var app = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals("api:4f2c1e9", app.getImage());
        assertEquals(List.of("MODE=stable", "FLAG=on", "NEW=1"),
                app.getEnv().stream().map(e -> e.getName() + "=" + e.getValue()).toList());
        assertEquals("proxy:1", d.getSpec().getTemplate().getSpec().getContainers().get(1).getImage());

        // recognised by its label, never owned by the Canary: foreground deletion must not take it before the weight
        assertEquals("api", d.getMetadata().getLabels().get(Canary.CANARY_LABEL));
        assertTrue(d.getMetadata().getOwnerReferences().isEmpty());
        // the target in the cache is untouched
        assertEquals("api:v1", target.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals("v1", target.getSpec().getTemplate().getMetadata().getLabels().get("version"));
    }

    @Test
    void theSpecHashFollowsTheTargetAndTheCanary() {
        Canary canary = canary();
        ResolvedCanary resolved = ResolvedCanary.of(canary);
        String hash = hash(CanaryDeploymentBuilder.build(canary, resolved, target(40), 2));
        assertEquals(hash, hash(CanaryDeploymentBuilder.build(canary, resolved, target(40), 2)));
        Deployment newStable = target(40);
        newStable.getSpec().getTemplate().getSpec().getContainers().get(1).setImage("proxy:2");
        assertNotEquals(hash, hash(CanaryDeploymentBuilder.build(canary, resolved, newStable, 2)));
        canary.getSpec().canary.containers.get(0).image = "api:next";
        assertNotEquals(hash, hash(CanaryDeploymentBuilder.build(canary, resolved, target(40), 2)));
    }

    @Test
    void replicasScaleWithTrafficUnlessFixed() {
        Deployment target = target(40);
        assertEquals(2, ReplicaPlan.replicasFor(null, target, Weight.ofPercent(3).orElseThrow()));
        assertEquals(20, ReplicaPlan.replicasFor(null, target, Weight.ofPercent(50).orElseThrow()));
        assertEquals(1, ReplicaPlan.replicasFor(null, target, Weight.ofPercent(0.25).orElseThrow()));
        assertEquals(1, ReplicaPlan.replicasFor(null, target, Weight.ZERO));
        assertEquals(40, ReplicaPlan.replicasFor(null, target, Weight.ALL));
        assertEquals(5, ReplicaPlan.replicasFor(5, target, Weight.ALL));
    }

    @Test
    void unknownContainersAreNamed() {
        Canary canary = canary();
        canary.getSpec().canary.containers = List.of(new ContainerPatch("app", "x"), new ContainerPatch("nope", "y"));
        assertEquals(List.of("nope"), CanaryDeploymentBuilder.unknownContainers(canary, target(1)));
    }

    private static String hash(Deployment d) {
        return d.getMetadata().getAnnotations().get(CanaryDeploymentBuilder.SPEC_HASH);
    }

    @Test
    void gitOpsTrackingLabelsAndAnnotationsStayOnTheTargetOnly() {
        Canary canary = canary();
        Deployment target = target(4);
        target.getMetadata().setLabels(Map.of("app", "api", "app.kubernetes.io/instance", "shop",
                "kustomize.toolkit.fluxcd.io/name", "apps", "kustomize.toolkit.fluxcd.io/namespace", "flux-system",
                "helm.toolkit.fluxcd.io/name", "api", "argocd.argoproj.io/instance", "shop"));
        target.getMetadata().setAnnotations(Map.of("argocd.argoproj.io/tracking-id", "shop:apps/Deployment:web/api",
                "argocd.argoproj.io/sync-options", "Prune=false", "kustomize.toolkit.fluxcd.io/ssa", "IfNotPresent",
                "team", "web"));
        target.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "api", "version", "v1",
                "app.kubernetes.io/instance", "shop"));
        target.getSpec().getSelector().setMatchLabels(Map.of("app", "api", "app.kubernetes.io/instance", "shop"));

        Deployment d = CanaryDeploymentBuilder.build(canary, ResolvedCanary.of(canary), target, 1);

        assertEquals(Map.of("app", "api", "version", "4f2c1e9", Canary.CANARY_LABEL, "api"), d.getMetadata().getLabels());
        assertTrue(d.getMetadata().getAnnotations().keySet().stream()
                .noneMatch(k -> k.startsWith("argocd.argoproj.io/") || k.contains("toolkit.fluxcd.io/")));
        // the pods and the selector keep the instance label: a Service selecting on it must still reach them
        assertEquals("shop", d.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/instance"));
        assertEquals("shop", d.getSpec().getSelector().getMatchLabels().get("app.kubernetes.io/instance"));
    }
}
