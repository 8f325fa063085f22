package dev.serin.bench;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the benchmark API server's request counts ({@link ServerTally}, in the API server's process, by client,
 * verb and resource) and sorts Serin's writes into the kinds issue 23 budgets: the Canary's finalizer patch,
 * DestinationRule, VirtualService, Deployment, Canary status, Events and anything else.
 */
final class RequestTally {
    static final String BENCH_AGENT = ServerTally.BENCH_AGENT;
    /** The kinds of Serin's writes, in the order the issue lists them. */
    static final List<String> KINDS = List.of("canary_finalizer_or_spec", "destinationrule", "virtualservice",
            "deployment", "canary_status", "event", "other");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    RequestTally(String url) {
        this.url = url;
    }

    /** Every request counted so far (each is counted when the API server dispatches it). */
    Map<String, Long> snapshot() {
        return get("/bench/tally", new TypeReference<TreeMap<String, Long>>() {
        });
    }

    /** When Serin's VirtualService PUTs reached the API server after {@code since} (System.nanoTime), by ns/name. */
    Map<String, List<Long>> virtualServicePutsSince(long since) {
        return get("/bench/virtualservice-puts?since=" + since, new TypeReference<TreeMap<String, List<Long>>>() {
        });
    }

    /** The API server process: pid, objects stored, CPU seconds; with {@code gc}, heap after full GCs and RSS. */
    Map<String, Object> process(boolean gc) {
        return get("/bench/process" + (gc ? "?gc=true" : ""), new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    private <T> T get(String path, TypeReference<T> type) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofMinutes(1))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
            }
            return JSON.readValue(r.body(), type);
        } catch (Exception e) {
            throw new IllegalStateException("benchmark API server " + path, e);
        }
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

    static boolean isWrite(String verb) {
        return !"GET".equals(verb) && !"WATCH".equals(verb);
    }

    /** Requests of {@code who} ("serin" or "bench") that are not GET or WATCH: writes. */
    static long writes(Map<String, Long> diff, String who) {
        return diff.entrySet().stream().filter(e -> e.getKey().startsWith(who + " "))
                .filter(e -> isWrite(e.getKey().split(" ")[1])).mapToLong(Map.Entry::getValue).sum();
    }

    /** Requests of {@code who} with this verb, any resource. */
    static long count(Map<String, Long> diff, String who, String verb) {
        return diff.entrySet().stream().filter(e -> e.getKey().startsWith(who + " " + verb + " "))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** Serin's writes in {@code diff} by {@link #KINDS}. */
    static Map<String, Long> serinWritesByKind(Map<String, Long> diff) {
        Map<String, Long> m = new LinkedHashMap<>();
        KINDS.forEach(k -> m.put(k, 0L));
        diff.forEach((key, n) -> {
            String[] parts = key.split(" ");
            if (parts.length == 3 && "serin".equals(parts[0]) && isWrite(parts[1])) {
                m.merge(kind(parts[2]), n, Long::sum);
            }
        });
        return m;
    }

    static String kind(String resource) {
        return switch (resource) {
            case "canaries" -> "canary_finalizer_or_spec";
            case "canaries/status" -> "canary_status";
            case "destinationrules" -> "destinationrule";
            case "virtualservices" -> "virtualservice";
            case "deployments" -> "deployment";
            case "events" -> "event";
            default -> "other";
        };
    }

    /** {@code byKind} divided by {@code per} (Canaries converged, or weight changes), two decimals; and the total. */
    static Map<String, Object> per(Map<String, Long> byKind, long per) {
        Map<String, Object> m = new LinkedHashMap<>();
        long total = byKind.values().stream().mapToLong(Long::longValue).sum();
        byKind.forEach((k, v) -> m.put(k, per == 0 ? Double.NaN : Stats.round((double) v / per)));
        m.put("total", per == 0 ? Double.NaN : Stats.round((double) total / per));
        return m;
    }
}
