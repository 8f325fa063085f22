package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.metrics.CanaryMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Every {@link CanaryMemory}, and the per-Canary metric series, told apart by the Canary's uid: a key whose uid
 * changed since its last reconcile belongs to a new Canary of the same name, which must not inherit the old one's
 * memory even if its deletion was never seen (deleted and created again between two reconciles).
 */
@ApplicationScoped
public class CanaryMemories {
    private static final Logger LOG = Logger.getLogger(CanaryMemories.class);

    private final Iterable<CanaryMemory> memories;
    private final CanaryMetrics metrics;
    private final Map<String, String> uids = new ConcurrentHashMap<>();

    @Inject
    public CanaryMemories(@Any Instance<CanaryMemory> memories, CanaryMetrics metrics) {
        this((Iterable<CanaryMemory>) memories, metrics);
    }

    CanaryMemories(Iterable<CanaryMemory> memories, CanaryMetrics metrics) {
        this.memories = memories;
        this.metrics = metrics;
    }

    /**
     * Before a live Canary's reconcile: true (and every memory of its key dropped) when it is another Canary than the
     * one of that name reconciled last.
     */
    boolean seen(Canary canary) {
        String key = CanaryKeys.of(canary);
        String uid = canary.getMetadata().getUid();
        String before = uid == null ? uids.get(key) : uids.put(key, uid);
        if (before == null || uid == null || before.equals(uid)) {
            return false;
        }
        LOG.debugf("%s is a new Canary (uid %s, was %s): forgetting what was kept for the old one", key, uid, before);
        forget(key);
        return true;
    }

    /** The Canary is gone and so is everything made for it. */
    void gone(String key) {
        uids.remove(key);
        forget(key);
    }

    /** This replica stopped reconciling. */
    void forgetAll() {
        uids.clear();
        memories.forEach(CanaryMemory::forgetAll);
        metrics.forgetAll(); // the leader publishes them: a replica that stopped leading must leave no stale series
    }

    private void forget(String key) {
        memories.forEach(m -> m.forget(key));
        metrics.forget(CanaryKeys.namespace(key), CanaryKeys.name(key));
    }
}
