package dev.serin.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every write Serin sends carries its own field manager, so managedFields (and GitOps tools) can tell it apart. */
@QuarkusTest
@WithStrictApiServer
class FieldManagerTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;

    @Test
    void managedFieldsNameSerinOnEveryObjectItWrote() {
        Fixture f = new Fixture(client).service("api", 4);
        f.create(f.canary("api", "api", 10, "v2"));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=9", "canary=1")));
        await().atMost(DEADLINE).until(() -> f.getCanary("api").getStatus() != null
                && Double.valueOf(10).equals(f.getCanary("api").getStatus().weight));
        await().atMost(DEADLINE).until(() -> !f.events().isEmpty());

        assertEquals(Set.of("serin"), managers(f.deploymentNow("api-canary")));
        assertEquals(Set.of("fabric8-kubernetes-client", "serin"), managers(
                client.genericKubernetesResources(f.istio.virtualServices()).inNamespace(f.namespace).withName("api").get()));
        assertEquals(Set.of("fabric8-kubernetes-client", "serin"), managers(
                client.genericKubernetesResources(f.istio.destinationRules()).inNamespace(f.namespace).withName("api").get()));
        Canary canary = f.getCanary("api");
        // the test created it and Serin added the finalizer; Serin wrote the status
        assertEquals(Set.of("fabric8-kubernetes-client", "serin"), managers(canary));
        assertEquals(Set.of("serin"), canary.getMetadata().getManagedFields().stream()
                .filter(e -> "status".equals(e.getSubresource())).map(ManagedFieldsEntry::getManager)
                .collect(java.util.stream.Collectors.toSet()));
        f.events().forEach(e -> assertEquals(Set.of("serin"), managers(e), e.getReason()));
    }

    private static Set<String> managers(HasMetadata object) {
        Set<String> names = new TreeSet<>();
        object.getMetadata().getManagedFields().stream().filter(e -> e.getSubresource() == null) // status: the test's
                .forEach(e -> names.add(e.getManager()));
        return names;
    }
}
