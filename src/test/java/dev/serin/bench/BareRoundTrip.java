package dev.serin.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The limit: one JSON merge patch of an annotation on a ConfigMap (which Serin does not watch) and the watch
 * event carrying it, on the same mock API server, measured from before the PATCH is sent to the event's
 * arrival. Runs on its own thread at a fixed rate, beside whatever else the benchmark is doing.
 */
final class BareRoundTrip implements Watcher<ConfigMap>, AutoCloseable {
    static final String NAMESPACE = "bench-probe";
    private final KubernetesClient client;
    private final Watch watch;
    private final Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
    private volatile Thread thread;
    private volatile boolean running;
    private final List<Long> roundTrips = new ArrayList<>();
    private final List<Long> patchOnly = new ArrayList<>();
    private long sequence;
    private final ConfigMap stub = new ConfigMapBuilder().withNewMetadata().withName("probe").withNamespace(NAMESPACE)
            .endMetadata().build();
    private int timeouts;

    BareRoundTrip(KubernetesClient client) {
        this.client = client;
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName(NAMESPACE).endMetadata().build()).create();
        client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata().withName("probe")
                .endMetadata().addToData("k", "v").build()).create();
        this.watch = client.configMaps().inNamespace(NAMESPACE).watch(this);
    }

    /** Starts probing at {@code perSecond}; results collect until {@link #stop()}. */
    void start(double perSecond) {
        synchronized (this) {
            roundTrips.clear();
            patchOnly.clear();
            timeouts = 0;
        }
        running = true;
        long period = (long) (1_000_000_000L / perSecond);
        thread = new Thread(() -> {
            long next = System.nanoTime();
            while (running) {
                probe();
                next += period;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(sleep);
                    } catch (InterruptedException e) {
                        return;
                    }
                } else {
                    next = System.nanoTime();
                }
            }
        }, "bench-bare-round-trip");
        thread.setDaemon(true);
        thread.start();
    }

    private void probe() {
        String seq = Long.toString(++sequence);
        CompletableFuture<Long> seen = new CompletableFuture<>();
        waiting.put(seq, seen);
        long t0 = System.nanoTime();
        try {
            // resource(stub), not withName(): fabric8's withName(..).patch(..) GETs the object first (two round trips)
            client.configMaps().inNamespace(NAMESPACE).resource(stub).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"annotations\":{\"bench/seq\":\"" + seq + "\"}}}");
            long accepted = System.nanoTime();
            long at = seen.get(10, TimeUnit.SECONDS);
            synchronized (this) {
                roundTrips.add(at - t0);
                patchOnly.add(accepted - t0);
            }
        } catch (Exception e) {
            synchronized (this) {
                timeouts++;
            }
        } finally {
            waiting.remove(seq);
        }
    }

    Map<String, Object> stop() throws InterruptedException {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.join(15_000);
        }
        synchronized (this) {
            return results();
        }
    }

    private Map<String, Object> results() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("patch_plus_watch_event", stats().toMap());
        m.put("patch_response_only", new Stats(patchOnly.stream().mapToLong(Long::longValue).toArray()).toMap());
        m.put("failed", timeouts);
        return m;
    }

    synchronized Stats stats() {
        return new Stats(roundTrips.stream().mapToLong(Long::longValue).toArray());
    }

    @Override
    public void eventReceived(Action action, ConfigMap cm) {
        long now = System.nanoTime();
        var annotations = cm.getMetadata().getAnnotations();
        String seq = annotations == null ? null : annotations.get("bench/seq");
        CompletableFuture<Long> f = seq == null ? null : waiting.get(seq);
        if (f != null) {
            f.complete(now);
        }
    }

    @Override
    public void onClose(WatcherException cause) {
        System.err.println("[bench] ConfigMap watch closed: " + cause);
    }

    @Override
    public void close() {
        running = false;
        watch.close();
    }
}
