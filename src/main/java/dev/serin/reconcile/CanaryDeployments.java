package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.cluster.ClusterCache;
import dev.serin.cluster.MadeFor;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;

/** Reads and writes the canary Deployment; what it should look like comes from {@link CanaryDeploymentBuilder}. */
@ApplicationScoped
public class CanaryDeployments {
    private final KubernetesClient client;
    private final ClusterCache cache;
    private final EventRecorder events;

    public CanaryDeployments(KubernetesClient client, ClusterCache cache, EventRecorder events) {
        this.cache = cache;
        this.client = client;
        this.events = events;
    }

    /**
     * Creates the canary Deployment or updates it when its spec hash differs, when its replicas or pod template were
     * changed outside Serin ({@link DeploymentDrift}; reverted with a DriftReverted Event), or when it still has the
     * ownerReference to the Canary an older Serin set; returns what is live now. A creation's Event is the caller's
     * ({@link #created}): a new Canary's is folded into the one for reaching its weight.
     */
    public Deployment ensure(Canary canary, ResolvedCanary resolved, Deployment target, int replicas, Deployment existing) {
        Deployment desired = CanaryDeploymentBuilder.build(canary, resolved, target, replicas);
        if (existing == null) {
            Deployment created = client.apps().deployments().inNamespace(resolved.namespace()).resource(desired).create();
            cache.wrote(null, created);
            return created;
        }
        if (Objects.equals(hash(existing), hash(desired))) {
            Optional<String> drift = DeploymentDrift.of(existing, desired);
            if (drift.isEmpty() && !MadeFor.hasLegacyOwner(existing, resolved.name())) {
                return existing;
            }
            drift.ifPresent(what -> events.warning(canary, "DriftReverted", "Deployment " + resolved.deploymentName()
                    + " was changed outside Serin (" + what + "); restored " + replicas + " replicas and its pod template"));
        }
        Deployment updated = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(existing)
                .editMetadata()
                .withLabels(desired.getMetadata().getLabels())
                .withAnnotations(merged(existing, desired))
                .withOwnerReferences(MadeFor.withoutLegacyOwner(existing, resolved.name()))
                .endMetadata()
                .withSpec(desired.getSpec())
                .build();
        Deployment written = client.apps().deployments().inNamespace(resolved.namespace()).resource(updated).update();
        cache.wrote(existing.getMetadata().getResourceVersion(), written);
        return written;
    }

    /** The CanaryDeploymentCreated Event for a Deployment {@link #ensure} just created. */
    public void created(Canary canary, Deployment created) {
        events.normal(canary, "CanaryDeploymentCreated", createdNote(created));
    }

    /** "created Deployment api-canary with 4 replicas". */
    static String createdNote(Deployment created) {
        return "created Deployment " + created.getMetadata().getName() + " with " + created.getSpec().getReplicas()
                + " replicas";
    }

    /** The canary pods run the current template and at least {@code needed} of them are ready. */
    public boolean ready(Deployment existing, Canary canary, ResolvedCanary resolved, Deployment target, int needed) {
        if (existing == null || deleting(existing) || existing.getSpec().getReplicas() == null || existing.getSpec().getReplicas() < needed) {
            return false;
        }
        Deployment desired = CanaryDeploymentBuilder.build(canary, resolved, target, existing.getSpec().getReplicas());
        if (!Objects.equals(hash(existing), hash(desired))) {
            return false; // a new template is still to be written or rolled out
        }
        var status = existing.getStatus();
        if (status == null) {
            return false;
        }
        Long generation = existing.getMetadata().getGeneration();
        if (generation != null && status.getObservedGeneration() != null && status.getObservedGeneration() < generation) {
            return false;
        }
        boolean updated = status.getUpdatedReplicas() == null || status.getUpdatedReplicas() >= needed;
        return updated && readyReplicas(existing) >= needed;
    }

    /** Ready pods as the Deployment controller reports them; none once the Deployment is being deleted. */
    public int readyReplicas(Deployment deployment) {
        if (deployment == null || deleting(deployment) || deployment.getStatus() == null || deployment.getStatus().getReadyReplicas() == null) {
            return 0;
        }
        return deployment.getStatus().getReadyReplicas();
    }

    public boolean ownedBy(Deployment deployment, ResolvedCanary resolved) {
        return MadeFor.canary(deployment, resolved.name());
    }

    /** Its pods are going: deleted, and held only until they are gone. */
    public static boolean deleting(Deployment deployment) {
        return deployment.getMetadata().getDeletionTimestamp() != null;
    }

    public void delete(Deployment deployment) {
        client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace()).resource(deployment).delete();
    }

    private static String hash(Deployment deployment) {
        var annotations = deployment.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(CanaryDeploymentBuilder.SPEC_HASH);
    }

    private static LinkedHashMap<String, String> merged(Deployment existing, Deployment desired) {
        var annotations = new LinkedHashMap<String, String>();
        if (existing.getMetadata().getAnnotations() != null) {
            annotations.putAll(existing.getMetadata().getAnnotations());
        }
        annotations.putAll(desired.getMetadata().getAnnotations());
        return annotations;
    }
}
