package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.cluster.ClusterCache;
import dev.serin.cluster.MadeFor;
import dev.serin.traffic.TrafficLeftovers;
import dev.serin.traffic.TrafficRouters;
import dev.serin.traffic.TrafficTarget;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops what a Canary deleted without its finalizer left behind, exactly as a stop does ({@link CanaryStopper}):
 * weight to 0 and settle, the canary Deployment, the original routes and settle, then the backends and whatever was
 * created for it. The Canary and its spec are gone, so all of it is derived from the caches: the label
 * {@code serin.dev/canary} on what Serin created and the bookkeeping annotations on what it changed name the Canary.
 * It runs under the Canary's own work-queue key, so it never races a reconcile of a Canary of that name; once
 * nothing is left it writes nothing.
 */
@ApplicationScoped
public class LeftoverSweeper implements CanaryMemory {
    private final ClusterCache cache;
    private final TrafficLeftovers leftovers;
    private final CanaryStopper stopper;
    private final SettleTimers settle;
    private final EventRecorder events;
    /**
     * Keys whose sweep has taken a step, so that only they get the closing Event: a pass on caches a moment behind
     * a stop that has just finished finds the stop's last marks and nothing to do about them.
     */
    private final Set<String> sweeping = ConcurrentHashMap.newKeySet();

    public LeftoverSweeper(ClusterCache cache, TrafficRouters routers, CanaryStopper stopper, SettleTimers settle,
            EventRecorder events) {
        this.cache = cache;
        this.leftovers = routers.leftovers();
        this.stopper = stopper;
        this.settle = settle;
        this.events = events;
    }

    /** Keys of the Canaries that are gone while a canary Deployment, route source or rule still bears their mark. */
    public Set<String> orphans() {
        Set<String> keys = new TreeSet<>();
        for (Deployment deployment : cache.allDeployments()) {
            String canary = MadeFor.canary(deployment);
            if (canary != null) {
                keys.add(deployment.getMetadata().getNamespace() + "/" + canary);
            }
        }
        leftovers.markedCanaries().forEach(ref -> keys.add(ref.namespace() + "/" + ref.name()));
        keys.removeIf(key -> cache.canary(CanaryKeys.namespace(key), CanaryKeys.name(key)) != null);
        return keys;
    }

    /**
     * One safe step of stopping what the Canary {@code namespace/name}, which is gone, left behind. Empty when
     * nothing is left; otherwise when to look again (a watch event usually comes first).
     */
    public Optional<Duration> sweep(String namespace, String name) {
        Canary gone = standIn(namespace, name);
        Deployment canaryPods = stopper.canaryPods(namespace, name);
        TrafficTarget traffic = leftovers.leftovers(namespace, name).orElse(null);
        if (canaryPods == null && traffic == null) {
            settle.forget(CanaryKeys.of(gone));
            sweeping.remove(CanaryKeys.of(gone));
            return Optional.empty();
        }
        Optional<Duration> again = stopper.teardown(new CanaryStopper.Leftovers(gone, canaryPods, traffic));
        if (again.isPresent()) {
            sweeping.add(CanaryKeys.of(gone));
        } else if (sweeping.remove(CanaryKeys.of(gone))) {
            events.normal(gone, "Stopped", "the Canary was deleted without its finalizer: traffic restored and what "
                    + "Serin made for it removed");
        }
        return again;
    }

    @Override
    public void forget(String key) {
        sweeping.remove(key);
    }

    @Override
    public void forgetAll() {
        sweeping.clear();
    }

    /** What Events and settle timers need of a Canary that is gone: its namespace and name. */
    private static Canary standIn(String namespace, String name) {
        Canary canary = new Canary();
        canary.setMetadata(new ObjectMetaBuilder().withNamespace(namespace).withName(name).build());
        return canary;
    }
}
