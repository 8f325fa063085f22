package dev.serin.rest;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.api.v1alpha1.CanaryTemplate;
import dev.serin.api.v1alpha1.TargetRef;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.concurrent.atomic.AtomicInteger;

final class Fixtures {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private Fixtures() {
    }

    /** A new namespace, unique within the test run (the mock server's store lives as long as the app). */
    static String namespace(KubernetesClient client, String prefix) {
        String ns = prefix + "-" + SEQ.incrementAndGet();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        return ns;
    }

    static Canary canary(KubernetesClient client, String ns, String name, String target, double weight, String version) {
        Canary c = new Canary();
        c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        CanarySpec spec = new CanarySpec();
        spec.targetRef = new TargetRef(target);
        spec.weight = weight;
        if (version != null) {
            spec.canary = new CanaryTemplate();
            spec.canary.version = version;
        }
        c.setSpec(spec);
        return client.resources(Canary.class).inNamespace(ns).resource(c).create();
    }

    /**
     * Plays the controller: a Canary it found valid, Progressing at its spec.weight with its pods ready — what
     * promote asks for — then {@code change} on top (e.g. a condition turned False).
     */
    static Canary status(KubernetesClient client, String ns, String name, java.util.function.Consumer<CanaryStatus> change) {
        Canary c = get(client, ns, name);
        CanaryStatus s = new CanaryStatus();
        s.phase = Phase.Progressing;
        s.weight = c.getSpec().weight;
        s.observedGeneration = c.getMetadata().getGeneration();
        s.conditions.add(condition("Valid", "True", "Valid", "spec is valid"));
        s.conditions.add(condition("CanaryReady", "True", "PodsReady", "1/1 canary pods ready"));
        s.conditions.add(condition("TrafficApplied", "True", "WeightApplied", "stable 19, canary 1 in VirtualService " + name));
        change.accept(s);
        c.setStatus(s);
        return client.resources(Canary.class).inNamespace(ns).resource(c).updateStatus();
    }

    /** A person's change of spec.weight (generation + 1) that the controller has not acted on yet. */
    static Canary setWeightAndKeepStatus(KubernetesClient client, String ns, String name, double weight) {
        return client.resources(Canary.class).inNamespace(ns).withName(name).patch(
                io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                "{\"spec\":{\"weight\":" + weight + "}}");
    }

    static Condition condition(String type, String status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withLastTransitionTime("2026-01-01T00:00:00Z").build();
    }

    static Canary get(KubernetesClient client, String ns, String name) {
        return client.resources(Canary.class).inNamespace(ns).withName(name).get();
    }
}
