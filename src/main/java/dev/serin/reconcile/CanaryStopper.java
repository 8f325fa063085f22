package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.cluster.ClusterCache;
import dev.serin.cluster.MadeFor;
import dev.serin.config.SerinConfig;
import dev.serin.metrics.CanaryMetrics;
import dev.serin.traffic.RouteState;
import dev.serin.traffic.Split;
import dev.serin.traffic.TrafficRouter;
import dev.serin.traffic.TrafficTarget;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Stops a deleted Canary without sending a request where it cannot land: weight to 0 and settle; delete the
 * canary pods; routes back to their original destinations and settle; remove the backends and whatever was
 * created for the Canary; release the finalizer. The canary pods go before the original routes return, because
 * an original route to the Service would otherwise hand them 1/N of the traffic again. Nothing Serin makes has an
 * ownerReference to the Canary, so this order holds whatever propagation policy the Canary is deleted with; a
 * Canary deleted without its finalizer is stopped the same way by {@link LeftoverSweeper}.
 */
@ApplicationScoped
public class CanaryStopper {
    /** A safety net for steps that normally continue on a watch event: serin.reconcile.recheck. */
    private final Duration watchEvent;
    private final ClusterCache cache;
    private final TrafficPlan plan;
    private final CanaryDeployments deployments;
    private final Finalizers finalizers;
    private final StatusWriter status;
    private final EventRecorder events;
    private final CanaryMetrics metrics;
    private final SettleTimers settle;
    private final Dialects dialects;

    public CanaryStopper(ClusterCache cache, TrafficPlan plan, CanaryDeployments deployments,
            Finalizers finalizers, StatusWriter status, EventRecorder events, CanaryMetrics metrics,
            SettleTimers settle, Dialects dialects, SerinConfig config) {
        this.watchEvent = config.reconcile().recheck();
        this.dialects = dialects;
        this.cache = cache;
        this.plan = plan;
        this.deployments = deployments;
        this.finalizers = finalizers;
        this.status = status;
        this.events = events;
        this.metrics = metrics;
        this.settle = settle;
    }

    public Optional<Duration> stop(Canary canary) {
        if (!CanaryKeys.hasFinalizer(canary)) {
            return Optional.empty();
        }
        status.update(canary, s -> s.phase = Phase.Terminating);
        // a spec-less Canary is refused before anything is made from it: nothing to tear down
        Optional<Duration> again = canary.getSpec() == null ? Optional.empty() : teardown(canary);
        if (again.isPresent()) {
            return again;
        }
        ResolvedCanary resolved = ResolvedCanary.of(canary);
        boolean released = finalizers.release(canary);
        settle.forget(CanaryKeys.of(canary));
        metrics.forget(resolved.namespace(), resolved.name());
        if (released) { // else a pass on a cache behind found it stopped and gone: said already
            events.normal(canary, "Stopped", "traffic restored; canary removed");
        }
        return Optional.empty();
    }

    /**
     * Takes the canary out of traffic and removes everything made for it, one safe step per call. Empty when
     * done; otherwise when to call again (or nothing, when a watch event will bring the next call).
     */
    public Optional<Duration> teardown(Canary canary) {
        ResolvedCanary resolved = ResolvedCanary.of(canary);
        TrafficTarget traffic = null;
        if (ownsTraffic(resolved)) {
            Deployment target = resolved.target() == null ? null : cache.deployment(resolved.namespace(), resolved.target());
            traffic = plan.target(canary, CanaryValidator.stableVersion(target, resolved));
        }
        return teardown(new Leftovers(canary, canaryPods(resolved.namespace(), resolved.name()), traffic));
    }

    /**
     * What is left of one Canary to stop.
     *
     * @param canary     the Canary, or for one that is gone a stand-in with its namespace and name (Events name it)
     * @param canaryPods its canary Deployment; null when there is none
     * @param traffic    its routes and backends; null when it has none to restore
     */
    public record Leftovers(Canary canary, Deployment canaryPods, TrafficTarget traffic) {
    }

    /** {@link #teardown(Canary)} from what is left, which for a Canary that is gone comes from its marks alone. */
    public Optional<Duration> teardown(Leftovers left) {
        Canary canary = left.canary();
        String key = CanaryKeys.of(canary);
        Deployment canaryPods = left.canaryPods();
        TrafficTarget traffic = left.traffic();
        if (traffic == null) {
            if (canaryPods != null && !CanaryDeployments.deleting(canaryPods)) {
                deployments.delete(canaryPods);
            }
            return Optional.empty();
        }
        TrafficRouter router = plan.router(traffic);
        if (!dialects.stoppable(router)) {
            return Optional.of(dialects.recheck()); // its routes are not watched yet and may name the canary pods
        }
        RouteState routes = router.observe(traffic);
        if (canaryPods != null && routes.namesCanary()
                && Boolean.TRUE.equals(router.applySplit(traffic, Split.STABLE_ONLY).value())) {
            settle.routesChanged(key); // nothing written (every such route left alone): no shift to wait for or tell
            events.normal(canary, "TrafficShifted", "stopping: weight → 0, all traffic to "
                    + router.words().stable());
        }
        Duration wait = settle.routesRemaining(key, traffic);
        if (!wait.isZero()) {
            return Optional.of(wait);
        }
        if (canaryPods != null) {
            // held while its pods terminate (foreground, or another finalizer): the routes come back once it is gone
            if (!CanaryDeployments.deleting(canaryPods)) {
                deployments.delete(canaryPods);
            }
            return Optional.of(watchEvent); // the Deployment's delete event brings us back first
        }
        if (router.restoreRoutes(traffic)) {
            settle.routesChanged(key);
            events.normal(canary, "RoutesRestored", "routes back to their original destinations");
            return Optional.of(settle.routesRemaining(key, traffic));
        }
        router.removeBackends(traffic);
        return Optional.empty();
    }

    /** The canary Deployment made for the Canary of that name, if the cache has it. */
    public Deployment canaryPods(String namespace, String canary) {
        Deployment pods = cache.deployment(namespace, ResolvedCanary.deploymentName(canary));
        return pods != null && MadeFor.canary(pods, canary) ? pods : null;
    }

    /** A Canary refused because its target already had one never touched traffic, and must not undo the other's. */
    private boolean ownsTraffic(ResolvedCanary resolved) {
        if (resolved.target() == null) {
            return false;
        }
        return cache.canaries(resolved.namespace()).stream()
                .filter(c -> c.getSpec() != null && c.getSpec().targetRef != null
                        && resolved.target().equals(c.getSpec().targetRef.name))
                .min(CanaryValidator.FIRST_CREATED)
                .map(first -> first.getMetadata().getName().equals(resolved.name()))
                .orElse(true);
    }
}
