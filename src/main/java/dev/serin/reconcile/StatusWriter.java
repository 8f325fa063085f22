package dev.serin.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.dashboard.DashboardLinkBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
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

    /**
     * Like {@link #update}, for writers outside the reconcile loop: on a conflict the Canary is read afresh and
     * {@code change} applied again, so it must only set fields, never depend on what was there.
     */
    public CanaryStatus updateRetrying(Canary canary, Consumer<CanaryStatus> change) {
        Canary current = canary;
        for (int attempt = 1;; attempt++) {
            try {
                return update(current, change);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 5) {
                    throw e;
                }
                current = client.resources(Canary.class).inNamespace(canary.getMetadata().getNamespace())
                        .withName(canary.getMetadata().getName()).require();
            }
        }
    }

    /**
     * Applies {@code change} to a copy of the cached status; when that differs, applies it again to the status as
     * the API server has it now and writes that (locked to its resourceVersion). The change must only set the
     * fields its writer owns, so the reconciler and the autopilot never undo each other's fields, even when one
     * of them acted on a cache that was a moment behind.
     */
    public CanaryStatus update(Canary canary, Consumer<CanaryStatus> change) {
        return write(canary, change).after();
    }

    /**
     * The status before and after a write: {@code before} is the freshest one {@link #update} saw — the API
     * server's whenever the cached one differed from the change — so a writer can tell news from a repeat
     * even when its cache is a moment behind its own last write.
     */
    public record Written(CanaryStatus before, CanaryStatus after) {
    }

    /** {@link #update}, also returning the status it found. */
    public Written write(Canary canary, Consumer<CanaryStatus> change) {
        CanaryStatus cached = canary.getStatus() == null ? new CanaryStatus() : canary.getStatus();
        if (same(cached, applied(canary, cached, change))) {
            return new Written(cached, cached);
        }
        Canary fresh = client.resources(Canary.class).inNamespace(canary.getMetadata().getNamespace())
                .withName(canary.getMetadata().getName()).get();
        if (fresh == null) {
            return new Written(cached, cached);
        }
        CanaryStatus current = fresh.getStatus() == null ? new CanaryStatus() : fresh.getStatus();
        CanaryStatus after = applied(canary, current, change); // observedGeneration: the spec this reconcile saw
        if (same(current, after)) {
            return new Written(current, current);
        }
        fresh.setStatus(after);
        client.resources(Canary.class).inNamespace(canary.getMetadata().getNamespace()).resource(fresh).updateStatus();
        return new Written(current, after);
    }

    /**
     * For a writer that decided on {@code canary} exactly as given: applies {@code change} to its status and writes it
     * locked to its resourceVersion, so a Canary changed since is a 409 (decide again on fresh state). Returns the
     * Canary as written, or {@code canary} itself when nothing differs.
     */
    public Canary updateLocked(Canary canary, Consumer<CanaryStatus> change) {
        CanaryStatus before = canary.getStatus() == null ? new CanaryStatus() : canary.getStatus();
        CanaryStatus after = applied(canary, before, change);
        if (same(before, after)) {
            return canary;
        }
        Canary written = JSON.clone(canary);
        written.setStatus(after);
        return client.resources(Canary.class).inNamespace(canary.getMetadata().getNamespace()).resource(written)
                .updateStatus();
    }

    /**
     * Sets {@code status.weight} inside a change and, when that changes it, {@code status.weightChangedAt} (to the
     * second) in the same write: what the observed share is measured since.
     */
    public void setWeight(CanaryStatus status, Double weight) {
        if (!Objects.equals(status.weight, weight)) {
            status.weightChangedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        }
        status.weight = weight;
    }

    private CanaryStatus applied(Canary canary, CanaryStatus before, Consumer<CanaryStatus> change) {
        CanaryStatus after = JSON.clone(before);
        change.accept(after);
        ResolvedCanary resolved = ResolvedCanary.of(canary);
        after.dashboardUrl = dashboards.link(resolved.namespace(), resolved.name(), resolved.version()).orElse(null);
        long generation = canary.getMetadata().getGeneration() == null ? 0 : canary.getMetadata().getGeneration();
        after.conditions = Conditions.merge(before.conditions, after.conditions, generation, clock.instant());
        after.observedGeneration = canary.getMetadata().getGeneration();
        return after;
    }

    private static boolean same(CanaryStatus a, CanaryStatus b) {
        return JSON.convertValue(a, JsonNode.class).equals(JSON.convertValue(b, JsonNode.class));
    }
}
