package dev.serin.observed;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.ObservedShare;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.autopilot.analysis.PrometheusEndpoints;
import dev.serin.cluster.ClusterCache;
import dev.serin.reconcile.Controller;
import dev.serin.reconcile.ResolvedCanary;
import dev.serin.traffic.TrafficRouters;
import dev.serin.traffic.TrafficTargets;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Measures every Canary's observed share (where a Prometheus is known) every serin.observed.interval, off the
 * reconcile threads: on a small pool, at most one measurement per Canary at a time, each query bounded by the
 * Prometheus client's timeout. The latest result per Canary stays in memory; the reconcile (the one writer of status)
 * takes it with {@link #merge}. A result worth a write queues the Canary; anything else waits for the next reconcile.
 *
 * <p>Each result remembers the weight change it was measured since ({@link WeightChange}): once status.weight changes,
 * a result measured before is never written, and a share already in status that predates the change gives way, in the
 * very write that changes the weight, to a message saying the share is settling.
 */
@ApplicationScoped
public class ObservedShares implements dev.serin.reconcile.ObservedShareSource, dev.serin.reconcile.CanaryMemory {
    private static final Logger LOG = Logger.getLogger(ObservedShares.class);
    private static final int THREADS = 2;

    private final ClusterCache cache;
    private final Instance<Controller> controller; // lazily: the Controller reconciles through this bean's merge
    private final PrometheusEndpoints endpoints;
    private final ShareProbe probe;
    private final Clock clock;
    private final Duration window;
    private final long minRequests;
    private final Map<String, Measured> latest = new ConcurrentHashMap<>();
    private final Set<String> measuring = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool;
    private final TrafficRouters routers;

    public ObservedShares(ClusterCache cache, Instance<Controller> controller, PrometheusEndpoints endpoints,
            ShareProbe probe, TrafficRouters routers, Clock clock,
            @ConfigProperty(name = "serin.observed.window", defaultValue = "1m") Duration window,
            @ConfigProperty(name = "serin.observed.min-requests", defaultValue = "100") long minRequests) {
        this.cache = cache;
        this.controller = controller;
        this.endpoints = endpoints;
        this.probe = probe;
        this.routers = routers;
        this.clock = clock;
        this.window = window;
        this.minRequests = minRequests;
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "serin-observed");
            t.setDaemon(true);
            return t;
        });
    }

    @Scheduled(every = "${serin.observed.interval:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (controller.get().started()) {
            measureAll();
        } else {
            latest.clear(); // not reconciling (e.g. no longer the leader): old results must not be written later
        }
    }

    /** Starts a measurement for every measurable Canary not still being measured; forgets the others. */
    void measureAll() {
        Set<String> live = new HashSet<>();
        for (Canary canary : cache.allCanaries()) {
            Optional<String> url = prometheusFor(canary);
            if (url.isEmpty() || !measurable(canary)) {
                continue;
            }
            String key = key(canary);
            live.add(key);
            if (measuring.add(key)) {
                pool.execute(() -> {
                    try {
                        measure(canary, url.get());
                    } catch (RuntimeException e) {
                        LOG.warnf(e, "measuring the observed share of %s failed", key);
                    } finally {
                        measuring.remove(key);
                    }
                });
            }
        }
        latest.keySet().retainAll(live);
    }

    private void measure(Canary canary, String url) {
        ResolvedCanary resolved = ResolvedCanary.of(canary);
        WeightChange since = WeightChange.of(canary.getStatus());
        // routes another implementation serves: no guess from metrics that do not count their traffic
        Optional<String> noMetrics = routers.of(canary).withoutIstioMetrics(TrafficTargets.of(canary, null));
        ObservedShare share = noMetrics.isPresent() ? ShareMeasurement.failed(noMetrics.get(), null, clock.instant())
                : probe.measure(url, resolved.namespace(), resolved.target(), resolved.deploymentName(), window,
                        minRequests, clock.instant(), since);
        share = ShareMeasurement.withTesters(share, canary);
        latest.put(key(canary), new Measured(since, share));
        Canary now = cache.canary(resolved.namespace(), resolved.name());
        if (now != null && since.equals(WeightChange.of(now.getStatus()))
                && ShareMeasurement.worthWriting(now.getStatus().observed, share)) {
            controller.get().enqueue(resolved.namespace(), resolved.name());
        }
    }

    /**
     * What the reconcile puts into {@code status.observed}, given the status it is about to write: the latest
     * measurement when it was taken since the weight that status holds and is worth a write, else what is there —
     * unless what is there was measured before the weight changed, which gives way to "settling". Nothing when no
     * Prometheus is known for the Canary any more.
     */
    @Override
    public ObservedShare merge(Canary canary, CanaryStatus status) {
        if (prometheusFor(canary).isEmpty()) {
            return null;
        }
        WeightChange since = WeightChange.of(status);
        ObservedShare current = status.observed;
        if (predates(current, since)) {
            ObservedShare settling = ShareMeasurement.settling(since, minRequests, clock.instant());
            current = current != null && Objects.equals(current.message, settling.message) ? current : settling;
        }
        Measured news = latest.get(key(canary));
        return news != null && news.since().equals(since) && ShareMeasurement.worthWriting(current, news.share())
                ? news.share() : current;
    }

    /** Measured no later than the second the weight changed in: it describes the weight before. */
    private static boolean predates(ObservedShare share, WeightChange since) {
        Instant changed = since.instant();
        if (changed == null) {
            return false;
        }
        try {
            return share == null || share.time == null || !Instant.parse(share.time).isAfter(changed);
        } catch (java.time.format.DateTimeParseException e) {
            return true;
        }
    }

    /** A measurement of a Canary that is gone must not reach the next one of its name. */
    @Override
    public void forget(String key) {
        latest.remove(key);
    }

    @Override
    public void forgetAll() {
        latest.clear();
    }

    /** The Canary's autopilot.analysis.prometheus, else serin.analysis.prometheus.url. */
    private Optional<String> prometheusFor(Canary canary) {
        CanarySpec spec = canary.getSpec();
        return endpoints.urlFor(spec == null || spec.autopilot == null ? null : spec.autopilot.analysis);
    }

    /** Live, valid and not finished: the Canaries whose reconcile writes status.observed. */
    private static boolean measurable(Canary canary) {
        Phase phase = canary.getStatus() == null ? null : canary.getStatus().phase;
        return canary.getMetadata().getDeletionTimestamp() == null && canary.getSpec() != null
                && canary.getSpec().targetRef != null && phase != Phase.Succeeded && phase != Phase.Failed;
    }

    /** A measurement and the weight change it was measured since. */
    private record Measured(WeightChange since, ObservedShare share) {
    }

    private static String key(Canary canary) {
        return canary.getMetadata().getNamespace() + "/" + canary.getMetadata().getName();
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}
