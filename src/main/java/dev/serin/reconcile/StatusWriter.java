package dev.serin.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.dashboard.DashboardLinkBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Writes a Canary's status through the status subresource, and only when it differs from what is there:
 * a steady state makes no writes. Conditions keep their transition time while their status holds.
 */
@ApplicationScoped
public class StatusWriter {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesClient client;
    private final Clock clock;
    private final DashboardLinkBuilder dashboards;

    public StatusWriter(KubernetesClient client, Clock clock, DashboardLinkBuilder dashboards) {
        this.client = client;
        this.clock = clock;
        this.dashboards = dashboards;
    }

    /** Applies {@code change} to a copy of the current status and writes the result if it differs. */
    public CanaryStatus update(Canary canary, Consumer<CanaryStatus> change) {
        CanaryStatus before = canary.getStatus() == null ? new CanaryStatus() : canary.getStatus();
        CanaryStatus after = JSON.clone(before);
        change.accept(after);
        ResolvedCanary resolved = ResolvedCanary.of(canary);
        after.dashboardUrl = dashboards.link(resolved.namespace(), resolved.name(), resolved.version()).orElse(null);
        long generation = canary.getMetadata().getGeneration() == null ? 0 : canary.getMetadata().getGeneration();
        after.conditions = Conditions.merge(before.conditions, after.conditions, generation, clock.instant());
        after.observedGeneration = canary.getMetadata().getGeneration();
        JsonNode old = JSON.convertValue(before, JsonNode.class);
        ObjectNode next = JSON.convertValue(after, ObjectNode.class);
        if (old.equals(next)) {
            return before;
        }
        // a JSON patch that sets the whole status: lists are replaced, never merged, on every API server
        ObjectNode add = JSON.convertValue(java.util.Map.of("op", "add", "path", "/status"), ObjectNode.class);
        add.set("value", next);
        client.resources(Canary.class).inNamespace(canary.getMetadata().getNamespace())
                .withName(canary.getMetadata().getName()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON), "[" + JSON.asJson(add) + "]");
        return after;
    }
}
