package dev.serin.rest;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.CanaryTemplate;
import dev.serin.api.v1alpha1.TargetRef;
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

    static Canary get(KubernetesClient client, String ns, String name) {
        return client.resources(Canary.class).inNamespace(ns).withName(name).get();
    }
}
