package dev.serin.playground;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Plays the Deployment controller (and the kubelets): a while after a Deployment's spec changes, every replica it
 * asks for is reported ready, and observedGeneration catches up, as on a healthy cluster.
 */
final class ReadyReplicas implements Runnable {
    private final KubernetesClient client;
    private final Duration delay;
    private final Clock clock;
    /** namespace/name@generation/replicas → when first seen not ready */
    private final Map<String, Long> pendingSince = new HashMap<>();

    ReadyReplicas(KubernetesClient client, Duration delay, Clock clock) {
        this.client = client;
        this.delay = delay;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            tick();
        } catch (RuntimeException e) {
            System.err.println("[playground] deployment controller: " + e.getMessage());
        }
    }

    void tick() {
        long now = clock.millis();
        Set<String> seen = new HashSet<>();
        for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
            if (d.getMetadata().getDeletionTimestamp() != null || ready(d)) {
                continue;
            }
            String key = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName() + "@"
                    + d.getMetadata().getGeneration() + "/" + replicas(d);
            seen.add(key);
            long since = pendingSince.computeIfAbsent(key, k -> now);
            if (now - since >= delay.toMillis()) {
                markReady(d);
            }
        }
        pendingSince.keySet().retainAll(seen);
    }

    static int replicas(Deployment d) {
        return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    }

    static boolean ready(Deployment d) {
        DeploymentStatus s = d.getStatus();
        int n = replicas(d);
        return s != null && Objects.equals(s.getReplicas(), n) && Objects.equals(s.getReadyReplicas(), n)
                && Objects.equals(s.getUpdatedReplicas(), n) && Objects.equals(s.getAvailableReplicas(), n)
                && Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration());
    }

    private void markReady(Deployment d) {
        int n = replicas(d);
        d.setStatus(new DeploymentStatusBuilder().withReplicas(n).withReadyReplicas(n).withUpdatedReplicas(n)
                .withAvailableReplicas(n).withObservedGeneration(d.getMetadata().getGeneration())
                .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                        .withReason("MinimumReplicasAvailable").withMessage("Deployment has minimum availability.")
                        .build())
                .build());
        try {
            client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
            // changed or gone meanwhile: the next tick looks again
        }
    }
}
