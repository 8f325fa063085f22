package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.cluster.ClusterCache;
import dev.serin.cluster.IstioApi;
import dev.serin.config.SerinConfig;
import dev.serin.metrics.CanaryMetrics;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The watch side of the controller: informer events become Canary keys on a work queue, and workers reconcile
 * them once every cache has synced (acting on a half-filled cache could rewrite traffic after a restart).
 * API errors back off per Canary; a 409 retries at once from fresh state; a refusal retrying cannot fix waits for
 * a new spec or the longest back-off ({@link ApiErrors}, {@link ApiRejections}). Nothing starts until the cluster
 * serves a networking.istio.io version Serin supports; without one, discovery is asked again every max-backoff.
 */
@ApplicationScoped
public class Controller {
    private static final Logger LOG = Logger.getLogger(Controller.class);

    private final ClusterCache cache;
    private final IstioApi istio;
    private final CanaryReconciler reconciler;
    private final CanaryStopper stopper;
    private final CanaryMetrics metrics;
    private final SerinConfig config;
    private final EventRecorder events;
    private final ApiRejections rejections;
    private volatile WorkQueue queue = new WorkQueue();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private volatile boolean active;
    private volatile boolean started;

    public Controller(ClusterCache cache, IstioApi istio, CanaryReconciler reconciler, CanaryStopper stopper,
            CanaryMetrics metrics, SerinConfig config, EventRecorder events, ApiRejections rejections) {
        this.events = events;
        this.rejections = rejections;
        this.cache = cache;
        this.istio = istio;
        this.reconciler = reconciler;
        this.stopper = stopper;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Decides the Istio version, starts watching, and reconciles once the caches have synced;
     * {@link dev.serin.leader.LeaderElection} calls it on the leader. Nothing but the cluster's state carries over.
     */
    public synchronized void start() {
        if (active) {
            return;
        }
        active = true;
        WorkQueue queue = new WorkQueue();
        this.queue = queue;
        Thread starter = new Thread(() -> {
            if (awaitIstio(queue) && startCache(queue)) {
                startWhenSynced(queue);
            }
        }, "serin-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** Stops reconciling and watching; in-memory state (settle timers aside) goes with the caches. */
    public synchronized void stop() {
        active = false;
        started = false;
        queue.stop();
        cache.stop();
        failures.clear();
        rejections.forgetAll(); // their retries were queued on the queue that just stopped
        notifyAll(); // a starter waiting to ask discovery again gives up
    }

    /** True while this replica is asked to reconcile (it leads, or leader election is off). */
    public boolean active() {
        return active;
    }

    /** True once the caches have synced and the workers run. */
    public boolean started() {
        return started;
    }

    /** Reconciles every Canary again from the caches; in a steady state this writes nothing. */
    public void resync() {
        cache.allCanaries().forEach(c -> queue.add(CanaryKeys.of(c)));
    }

    /** True when no Canary is queued, waiting for a retry, or being reconciled (for tests and benchmarks). */
    public boolean idle() {
        return queue.idle() && events.idle();
    }

    /** True while the start that made {@code queue} is still the current one. */
    private boolean current(WorkQueue queue) {
        return this.queue == queue && active;
    }

    /**
     * Waits until the cluster serves a supported Istio version, asking discovery every max-backoff: informers on a
     * version it does not serve would only fail, and installing Istio later must need no restart.
     */
    private boolean awaitIstio(WorkQueue queue) {
        boolean served = istio.decide();
        while (!served) {
            synchronized (this) {
                if (!current(queue)) {
                    return false;
                }
                try {
                    wait(config.reconcile().maxBackoff().toMillis());
                } catch (InterruptedException e) {
                    return false;
                }
                if (!current(queue)) {
                    return false;
                }
            }
            served = istio.recheck();
        }
        return true;
    }

    private synchronized boolean startCache(WorkQueue queue) {
        if (!current(queue)) {
            return false; // stopped (or restarted) while asking discovery
        }
        cache.start(
                canaryHandler(),
                related((c, name) -> name.equals(c.target()) || name.equals(c.deploymentName())),
                related((c, name) -> c.virtualServices().contains(name)),
                related((c, name) -> name.equals(c.destinationRule())));
        return true;
    }

    private void startWhenSynced(WorkQueue queue) {
        while (current(queue) && !cache.synced()) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
        synchronized (this) {
            if (!current(queue)) {
                return; // stopped (or restarted) while waiting
            }
            queue.start(config.reconcile().workers(), this::reconcile);
            resync();
            started = true;
        }
        LOG.info("caches synced; reconciling");
    }

    private void reconcile(String key) {
        Canary canary = cache.canary(CanaryKeys.namespace(key), CanaryKeys.name(key));
        if (canary == null) {
            failures.remove(key);
            rejections.forget(key);
            metrics.forget(CanaryKeys.namespace(key), CanaryKeys.name(key));
            return;
        }
        if (rejections.holding(canary)) {
            return; // refused as it is now; the retry at the longest back-off is queued
        }
        try {
            Optional<Duration> again = metrics.timeReconcile(() -> canary.getMetadata().getDeletionTimestamp() != null
                    ? stopper.stop(canary)
                    : reconciler.reconcile(canary));
            failures.remove(key);
            rejections.forget(key);
            again.ifPresent(delay -> queue.addAfter(key, delay));
        } catch (KubernetesClientException e) {
            switch (ApiErrors.retry(e.getCode())) {
                case AT_ONCE -> {
                    LOG.debugf("conflict on %s, retrying from fresh state: %s", key, e.getMessage());
                    queue.addAfter(key, config.reconcile().minBackoff());
                }
                case WHEN_CHANGED -> refused(key, canary, e);
                case BACKOFF -> retryLater(key, e);
            }
        } catch (RuntimeException e) {
            retryLater(key, e);
        }
    }

    private void refused(String key, Canary canary, KubernetesClientException e) {
        metrics.reconcileFailed();
        failures.remove(key);
        Duration again = config.reconcile().maxBackoff();
        LOG.warnf("the API server refused a write for %s (%d): %s; retrying when its spec changes, or in %s",
                key, e.getCode(), ApiErrors.message(e), ApiRejections.format(again));
        try {
            rejections.refused(canary, e);
        } finally {
            queue.addAfter(key, again);
        }
    }

    private void retryLater(String key, RuntimeException e) {
        metrics.reconcileFailed();
        int n = failures.merge(key, 1, Integer::sum);
        long base = config.reconcile().minBackoff().toMillis();
        Duration delay = Duration.ofMillis(Math.min(config.reconcile().maxBackoff().toMillis(),
                base << Math.min(n - 1, 20)));
        LOG.warnf(e, "reconcile of %s failed (attempt %d), retrying in %s", key, n, delay);
        queue.addAfter(key, delay);
    }

    private void onCanary(Canary canary) {
        queue.add(CanaryKeys.of(canary));
    }

    private ResourceEventHandler<Canary> canaryHandler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Canary canary) {
                onCanary(canary);
            }

            @Override
            public void onUpdate(Canary before, Canary after) {
                if (CanaryChanges.matter(before, after)) {
                    onCanary(after);
                }
            }

            @Override
            public void onDelete(Canary canary, boolean deletedFinalStateUnknown) {
                onCanaryDeleted(canary);
            }
        };
    }

    // another Canary on the same target may be waiting for this one to go
    private void onCanaryDeleted(Canary canary) {
        queue.add(CanaryKeys.of(canary));
        cache.canaries(canary.getMetadata().getNamespace()).forEach(this::onCanary);
    }

    /** Enqueues every Canary in the object's namespace that refers to it by name. */
    private <T extends HasMetadata> ResourceEventHandler<T> related(BiPredicate<ResolvedCanary, String> refersTo) {
        Consumer<T> enqueue = object -> {
            String name = object.getMetadata().getName();
            for (Canary canary : cache.canaries(object.getMetadata().getNamespace())) {
                if (canary.getSpec() != null && refersTo.test(ResolvedCanary.of(canary), name)) {
                    queue.add(CanaryKeys.of(canary));
                }
            }
        };
        return handler(enqueue, enqueue);
    }

    private static <T> ResourceEventHandler<T> handler(Consumer<T> changed,
            Consumer<T> deleted) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                deleted.accept(obj);
            }
        };
    }
}
