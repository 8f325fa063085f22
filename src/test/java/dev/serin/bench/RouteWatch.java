package dev.serin.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A watch on every VirtualService (the benchmark's own client, so it sees what a mesh would see): each event is
 * stamped on arrival, its "main" route read as stable/canary weights, and matched against the share the
 * benchmark is waiting for on that VirtualService.
 */
final class RouteWatch implements Watcher<GenericKubernetesResource> {
    /** One awaited share: canary weight / (stable + canary) == basisPoints / 10000, compared exactly. */
    static final class Expected {
        final String key;
        final int basisPoints;
        final long created = System.nanoTime();
        volatile long accepted; // when the change was accepted (response of the PATCH or PUT)
        volatile long seen; // when the watch event carrying it arrived
        volatile long put; // when Serin's last PUT of the VirtualService before the event reached the API server (0: unknown)
        final CompletableFuture<Long> done = new CompletableFuture<>();

        Expected(String key, int basisPoints) {
            this.key = key;
            this.basisPoints = basisPoints;
        }
    }

    private final Map<String, Expected> waiting = new ConcurrentHashMap<>();
    final AtomicLong events = new AtomicLong();
    final AtomicLong closed = new AtomicLong();

    /** Registers an expectation for the VirtualService {@code key} (ns/name); null when one is already open. */
    Expected expect(String key, int basisPoints) {
        Expected e = new Expected(key, basisPoints);
        return waiting.putIfAbsent(key, e) == null ? e : null;
    }

    boolean waitingFor(String key) {
        return waiting.containsKey(key);
    }

    void forget(String key, Expected e) {
        waiting.remove(key, e);
    }

    @Override
    public void eventReceived(Action action, GenericKubernetesResource vs) {
        long now = System.nanoTime();
        events.incrementAndGet();
        String key = vs.getMetadata().getNamespace() + "/" + vs.getMetadata().getName();
        Expected e = waiting.get(key);
        if (e == null || action == Action.DELETED) {
            return;
        }
        int[] split = mainSplit(vs);
        if (split != null && (long) split[1] * 10_000 == (long) e.basisPoints * (split[0] + split[1])) {
            e.seen = now;
            waiting.remove(key, e);
            e.done.complete(now);
        }
    }

    /** {stable, canary} weights of the first route not named "admin", or null when it is not split in two. */
    @SuppressWarnings("unchecked")
    static int[] mainSplit(GenericKubernetesResource vs) {
        Object spec = vs.getAdditionalProperties().get("spec");
        if (!(spec instanceof Map)) {
            return null;
        }
        Object http = ((Map<String, Object>) spec).get("http");
        if (!(http instanceof List)) {
            return null;
        }
        for (Object r : (List<Object>) http) {
            Map<String, Object> route = (Map<String, Object>) r;
            if ("admin".equals(route.get("name"))) {
                continue;
            }
            Object destinations = route.get("route");
            if (!(destinations instanceof List) || ((List<?>) destinations).size() != 2) {
                return null;
            }
            int[] split = new int[2];
            for (Object d : (List<Object>) destinations) {
                Map<String, Object> dest = (Map<String, Object>) d;
                Map<String, Object> destination = (Map<String, Object>) dest.get("destination");
                Object weight = dest.get("weight");
                if (destination == null || !(weight instanceof Number)) {
                    return null;
                }
                if ("stable".equals(destination.get("subset"))) {
                    split[0] = ((Number) weight).intValue();
                } else if ("canary".equals(destination.get("subset"))) {
                    split[1] = ((Number) weight).intValue();
                }
            }
            return split;
        }
        return null;
    }

    @Override
    public void onClose(WatcherException cause) {
        closed.incrementAndGet();
        System.err.println("[bench] VirtualService watch closed: " + cause);
    }
}
