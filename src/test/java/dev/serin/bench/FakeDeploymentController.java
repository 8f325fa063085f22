package dev.serin.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays Kubernetes' Deployment controller for the canary Deployments Serin creates: when one's status does not
 * report all its replicas ready for its current generation, it writes that they are (a status merge patch).
 * It writes nothing while nothing changes, so it adds no writes to a steady state.
 */
final class FakeDeploymentController implements Watcher<Deployment>, AutoCloseable {
    private final KubernetesClient client;
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "bench-fake-deployment-controller");
        t.setDaemon(true);
        return t;
    });
    private final Watch watch;
    final AtomicLong marked = new AtomicLong();

    FakeDeploymentController(KubernetesClient client) {
        this.client = client;
        this.watch = client.apps().deployments().inAnyNamespace().watch(this);
    }

    @Override
    public void eventReceived(Action action, Deployment d) {
        if (action == Action.DELETED || !d.getMetadata().getName().endsWith("-canary")) {
            return;
        }
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        Long generation = d.getMetadata().getGeneration();
        var s = d.getStatus();
        boolean ready = s != null && Objects.equals(s.getReadyReplicas(), replicas)
                && Objects.equals(s.getUpdatedReplicas(), replicas)
                && (generation == null || Objects.equals(s.getObservedGeneration(), generation));
        if (ready) {
            return;
        }
        String ns = d.getMetadata().getNamespace();
        String name = d.getMetadata().getName();
        Map<String, Object> status = new java.util.LinkedHashMap<>(Map.of("replicas", replicas, "readyReplicas", replicas,
                "updatedReplicas", replicas, "availableReplicas", replicas));
        if (generation != null) {
            status.put("observedGeneration", generation);
        }
        String patch = client.getKubernetesSerialization().asJson(Map.of("status", status));
        pool.submit(() -> {
            try {
                client.apps().deployments().inNamespace(ns).resource(d).subresource("status")
                        .patch(PatchContext.of(PatchType.JSON_MERGE), patch);
                marked.incrementAndGet();
            } catch (RuntimeException e) {
                System.err.println("[bench] could not mark " + ns + "/" + name + " ready: " + e);
            }
        });
    }

    @Override
    public void onClose(WatcherException cause) {
        System.err.println("[bench] Deployment watch closed: " + cause);
    }

    @Override
    public void close() {
        watch.close();
        pool.shutdownNow();
    }
}
