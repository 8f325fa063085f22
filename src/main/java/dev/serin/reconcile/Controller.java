package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.cluster.ClusterCache;
import dev.serin.config.SerinConfig;
import dev.serin.metrics.CanaryMetrics;
import dev.serin.traffic.TrafficRouter;
import dev.serin.traffic.WatchedKind;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The watch side of the controller: informer events become Canary keys on a work queue, and workers reconcile
 * them once every cache has synced (acting on a half-filled cache could rewrite traffic after a restart). A key
 * whose Canary is gone sweeps what it left behind ({@link LeftoverSweeper}); every such key is queued when the
 * caches have synced, and again whenever an object bearing its mark changes. What is kept in memory per Canary is
 * forgotten once it is gone, when another Canary takes its name, and when the controller stops ({@link CanaryMemories}).
 * API errors back off per Canary; a 409 retries at once from fresh state; a refusal retrying cannot fix waits for
 * a new spec or the longest back-off ({@link ApiErrors}, {@link ApiRejections}). Each traffic dialect is discovered
 * on its own: its informers start once the cluster serves it, and discovery is asked again every max-backoff for
 * those it does not serve, so installing one later needs no restart ({@link Dialects}).
 */
@ApplicationScoped
public class Controller {
    private static final Logger LOG = Logger.getLogger(Controller.class);

    private final ClusterCache cache;
    private final Dialects dialects;
    private final CanaryReconciler reconciler;
    private final CanaryStopper stopper;
    private final LeftoverSweeper sweeper;
    private final CanaryMetrics metrics;
    private final SerinConfig config;
    private final EventRecorder events;
    private final ApiRejections rejections;
    private final CanaryMemories memories;
    private volatile WorkQueue queue = new WorkQueue();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private volatile boolean active;
    private volatile boolean started;
    private volatile CacheEvents cacheEvents;

    public Controller(ClusterCache cache, Dialects dialects, CanaryReconciler reconciler,
            CanaryStopper stopper, LeftoverSweeper sweeper, CanaryMetrics metrics, SerinConfig config,
            EventRecorder events, ApiRejections rejections, CanaryMemories memories) {
        this.memories = memories;
        this.sweeper = sweeper;
        this.dialects = dialects;
        this.events = events;
        this.rejections = rejections;
        this.cache = cache;
        this.reconciler = reconciler;
        this.stopper = stopper;
        this.metrics = metrics;
        this.config = config;
    }

    /**
     * Starts watching, asks discovery which dialects the cluster serves, and reconciles once the caches (those of the
     * served dialects included) have synced; then asks again every max-backoff for the dialects not served.
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
            List<TrafficRouter> served = dialects.discover(true); // first: says at once what is missing
            if (startCache(queue) && watch(queue, served) && startWhenSynced(queue, served)) {
                while (awaitRecheck(queue)) {
                    List<TrafficRouter> found = dialects.discover(false);
                    if (!found.isEmpty() && watch(queue, found) && awaitSynced(queue, found)) {
                        resync(); // Canaries refused for want of the dialect go on now
                    }
                }
            }
        }, "serin-start");
        starter.setDaemon(true);
        starter.start();
    }

    /** Stops at once, interrupting the reconciles in flight: the lease is lost, another replica may lead already. */
    public void stop() {
        stop(Duration.ZERO);
    }

    /**
     * Stops reconciling and watching: takes no more work, lets the reconciles in flight finish for at most
     * {@code drain} (then interrupts them), and forgets every Canary's memory ({@link CanaryMemory}), settle timers
     * too: the next start reads them back from the objects, as a restarted process or a new leader does.
     */
    public synchronized void stop(Duration drain) {
        active = false;
        started = false;
        if (!queue.stop(drain) && !drain.isZero()) {
            LOG.warnf("reconciles still running after %s were interrupted", drain);
        }
        cache.stop();
        dialects.clear();
        failures.clear();
        memories.forgetAll(); // after the workers: no reconcile refills what is forgotten
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

    /**
     * Reconciles every Canary again from the caches, and sweeps what Canaries that are gone left behind; in a steady
     * state this writes nothing.
     */
    public void resync() {
        cache.allCanaries().forEach(c -> queue.add(CanaryKeys.of(c)));
        sweeper.orphans().forEach(queue::add);
    }

    /** Queues a Canary's reconcile (the autopilot's tick, finished analyses, a new observed share); nothing while not started. */
    public void enqueue(String namespace, String name) {
        if (started) {
            queue.add(namespace + "/" + name);
        }
    }

    /** How many Canaries wait for a reconcile worker right now (for the benchmark's sampled queue depth). */
    public int queueDepth() {
        return queue.depth();
    }

    /** True when no Canary is queued, waiting for a retry, or being reconciled (for tests and benchmarks). */
    public boolean idle() {
        return queue.idle() && events.idle();
    }

    /** True while the start that made {@code queue} is still the current one. */
    private boolean current(WorkQueue queue) {
        return this.queue == queue && active;
    }

    /** Starts watching the kinds of the {@code served} dialects. */
    private synchronized boolean watch(WorkQueue queue, List<TrafficRouter> served) {
        if (!current(queue)) {
            return false;
        }
        served.forEach(router -> router.watched().forEach(kind -> cache.watch(kind.resource(), cacheEvents.watched(kind))));
        return true;
    }

    /**
     * Waits max-backoff before discovery is asked again, while some dialect is not served: informers on kinds the
     * cluster does not serve would only fail, and installing a dialect later must need no restart. False once every
     * dialect is served, or the controller stopped.
     */
    private boolean awaitRecheck(WorkQueue queue) {
        synchronized (this) {
            if (!current(queue) || dialects.allUsable()) {
                return false;
            }
            try {
                wait(config.reconcile().maxBackoff().toMillis());
            } catch (InterruptedException e) {
                return false;
            }
            return current(queue);
        }
    }

    private synchronized boolean startCache(WorkQueue queue) {
        if (!current(queue)) {
            return false; // stopped (or restarted) meanwhile
        }
        cacheEvents = new CacheEvents(cache, key -> this.queue.add(key));
        cache.start(cacheEvents.canaries(), cacheEvents.deployments());
        return true;
    }

    /** Waits until the caches, those of the {@code served} dialects included, have synced; then marks those usable. */
    private boolean awaitSynced(WorkQueue queue, List<TrafficRouter> served) {
        List<io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext> kinds = served.stream()
                .flatMap(r -> r.watched().stream()).map(WatchedKind::resource).toList();
        while (current(queue) && !(cache.synced() && cache.synced(kinds))) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return false;
            }
        }
        synchronized (this) {
            if (!current(queue)) {
                return false;
            }
            served.forEach(dialects::markUsable);
            return true;
        }
    }

    private boolean startWhenSynced(WorkQueue queue, List<TrafficRouter> served) {
        if (!awaitSynced(queue, served)) {
            return false;
        }
        synchronized (this) {
            if (!current(queue)) {
                return false; // stopped (or restarted) while waiting
            }
            queue.start(config.reconcile().workers(), this::reconcile);
            resync();
            started = true;
        }
        LOG.info("caches synced; reconciling");
        return true;
    }

    private void reconcile(String key) {
        Canary canary = cache.canary(CanaryKeys.namespace(key), CanaryKeys.name(key));
        if (canary == null) {
            sweep(key);
            return;
        }
        if (memories.seen(canary)) { // another Canary took the name: it inherits nothing
            failures.remove(key);
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
                case BACKOFF, GONE -> retryLater(key, e);
            }
        } catch (RuntimeException e) {
            retryLater(key, e);
        }
    }

    /**
     * A Canary that is gone: stop what it left behind (nothing, once a stop has run to its end); once nothing is left,
     * forget it.
     */
    private void sweep(String key) {
        try {
            Optional<Duration> again = sweeper.sweep(CanaryKeys.namespace(key), CanaryKeys.name(key));
            failures.remove(key);
            again.ifPresentOrElse(delay -> queue.addAfter(key, delay), () -> memories.gone(key));
        } catch (KubernetesClientException e) {
            if (ApiErrors.retry(e.getCode()) == ApiErrors.Retry.AT_ONCE) {
                queue.addAfter(key, config.reconcile().minBackoff());
            } else {
                retryLater(key, e); // no Canary to hold a refusal on: back off and look again
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
}
