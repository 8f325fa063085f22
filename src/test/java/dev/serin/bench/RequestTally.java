package dev.serin.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drains the mock API server's record of requests (it keeps every request, body included, until taken: left
 * alone it would grow the heap being measured) and counts them by client and verb. The benchmark's own client
 * sends User-Agent {@value #BENCH_AGENT}; every other request to the mock API server is Serin's.
 */
final class RequestTally implements AutoCloseable {
    static final String BENCH_AGENT = "serin-benchmark";
    private final KubernetesMockServer server;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    /** When Serin's last PUT of each VirtualService (ns/name) reached the mock API server (taken off its record). */
    final Map<String, Long> virtualServicePuts = new ConcurrentHashMap<>();
    private final Thread drainer;
    private volatile boolean running = true;
    private final java.util.concurrent.atomic.AtomicLong taken = new java.util.concurrent.atomic.AtomicLong();

    RequestTally(KubernetesMockServer server) {
        this.server = server;
        this.drainer = new Thread(this::drain, "bench-request-tally");
        drainer.setDaemon(true);
        drainer.start();
    }

    private void drain() {
        while (running) {
            try {
                RecordedRequest r = server.takeRequest(100, TimeUnit.MILLISECONDS);
                if (r != null) {
                    count(r);
                    taken.incrementAndGet();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // a malformed record must not stop the count
            }
        }
    }

    private void count(RecordedRequest r) {
        long now = System.nanoTime();
        String agent = r.getHeader("User-Agent");
        String who = agent != null && agent.startsWith(BENCH_AGENT) ? "bench" : "serin";
        String path = r.getPath() == null ? "" : r.getPath();
        String verb = r.getMethod().toUpperCase();
        if ("GET".equals(verb) && path.contains("watch=true")) {
            verb = "WATCH";
        }
        counts.computeIfAbsent(who + " " + verb + " " + resource(path), k -> new LongAdder()).increment();
        int vs = path.indexOf("/virtualservices/");
        int ns = path.indexOf("/namespaces/");
        if ("serin".equals(who) && "PUT".equals(verb) && vs > 0 && ns > 0) {
            virtualServicePuts.put(path.substring(ns + 12, vs) + "/" + path.substring(vs + 17).split("[/?]")[0], now);
        }
    }

    /** "canaries", "canaries/status", "virtualservices", "events", ... from an API path. */
    static String resource(String path) {
        String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        String[] parts = p.split("/");
        int start = p.startsWith("/api/") ? 3 : 4; // /api/v1/... or /apis/group/version/...
        int i = start;
        if (parts.length > i + 1 && "namespaces".equals(parts[i]) && parts.length > i + 2) {
            i += 2; // namespaced: skip namespaces/NAME
        }
        if (parts.length <= i) {
            return parts.length > start ? parts[start] : p;
        }
        String kind = parts[i];
        return parts.length > i + 2 ? kind + "/" + parts[i + 2] : kind;
    }

    /** Waits until the server's record is empty, so a snapshot taken next counts everything sent before. */
    void settle() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(10))
                .until(() -> taken.get() >= server.getRequestCount());
    }

    Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    static Map<String, Long> diff(Map<String, Long> after, Map<String, Long> before) {
        Map<String, Long> m = new TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d != 0) {
                m.put(k, d);
            }
        });
        return m;
    }

    /** Requests of {@code who} ("serin" or "bench") that are not GET or WATCH: writes. */
    static long writes(Map<String, Long> diff, String who) {
        return diff.entrySet().stream().filter(e -> e.getKey().startsWith(who + " ")).filter(e -> {
            String verb = e.getKey().split(" ")[1];
            return !"GET".equals(verb) && !"WATCH".equals(verb);
        }).mapToLong(Map.Entry::getValue).sum();
    }

    /** Requests of {@code who} with this verb, any resource. */
    static long count(Map<String, Long> diff, String who, String verb) {
        return diff.entrySet().stream().filter(e -> e.getKey().startsWith(who + " " + verb + " "))
                .mapToLong(Map.Entry::getValue).sum();
    }

    @Override
    public void close() {
        running = false;
        drainer.interrupt();
    }
}
