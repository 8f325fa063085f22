package dev.serin.bench;

import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The benchmark API server's count of the requests it answered, by client, verb and resource, taken as each
 * request is dispatched (so a count read after a response includes that request). The benchmark's own client sends
 * User-Agent {@value #BENCH_AGENT}; every other request is Serin's. It also keeps when each of Serin's recent
 * PUTs of a VirtualService arrived (System.nanoTime, which on Linux is CLOCK_MONOTONIC and so comparable with the
 * benchmark's process), to split a weight change's latency at Serin's write.
 */
final class ServerTally {
    static final String BENCH_AGENT = "serin-benchmark";
    private static final int PUTS_KEPT = 16;
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, Deque<Long>> virtualServicePuts = new ConcurrentHashMap<>();

    void count(RecordedRequest r) {
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
            String key = path.substring(ns + 12, vs) + "/" + path.substring(vs + 17).split("[/?]")[0];
            Deque<Long> times = virtualServicePuts.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (times) {
                times.addLast(now);
                if (times.size() > PUTS_KEPT) {
                    times.removeFirst();
                }
            }
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

    Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    /** Arrival times of Serin's VirtualService PUTs after {@code since}, by ns/name. */
    Map<String, List<Long>> virtualServicePutsSince(long since) {
        Map<String, List<Long>> m = new TreeMap<>();
        virtualServicePuts.forEach((key, times) -> {
            List<Long> after = new ArrayList<>();
            synchronized (times) {
                times.stream().filter(t -> t > since).forEach(after::add);
            }
            if (!after.isEmpty()) {
                m.put(key, after);
            }
        });
        return m;
    }
}
