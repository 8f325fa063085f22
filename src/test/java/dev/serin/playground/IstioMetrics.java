package dev.serin.playground;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Istio's standard request metrics for the simulated requests, as the serving pod's sidecar reports them
 * ({@code reporter="destination"}), in Prometheus' text format: the counter {@code istio_requests_total} and the
 * histogram {@code istio_request_duration_milliseconds} (Istio's default buckets), with Istio's label names.
 * Labels the simulation has no value for carry Istio's own placeholder, {@code unknown}.
 */
public final class IstioMetrics {
    public static final String REQUESTS = "istio_requests_total";
    public static final String DURATION = "istio_request_duration_milliseconds";
    /** Istio's default request duration buckets, in milliseconds. */
    static final double[] BUCKETS = {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000,
            300000, 600000, 1800000, 3600000};
    /** The simulated caller: a load generator outside the mesh's workloads. */
    static final String SOURCE = "playground-loadgen";

    /** The pods of one Deployment that served requests, and the Service they were reached through. */
    public record Workload(String namespace, String name, String app, String version, String service) {
    }

    private static final class Series {
        long count;
        double sum;
        final long[] buckets = new long[BUCKETS.length];
    }

    /** Rendered label sets (without le) to their series, in a stable order. */
    private final Map<String, Series> series = new TreeMap<>();

    /** One request the workload answered with this code after this many milliseconds. */
    public synchronized void record(Workload workload, int code, double millis) {
        Series s = series.computeIfAbsent(labels(workload, code), k -> new Series());
        s.count++;
        s.sum += millis;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (millis <= BUCKETS[i]) {
                s.buckets[i]++;
            }
        }
    }

    /**
     * Makes the workload's series for this code exist at 0: Prometheus' increase() counts from a series' first
     * sample, so a series that is born with its first requests would lose them.
     */
    public synchronized void declare(Workload workload, int code) {
        series.computeIfAbsent(labels(workload, code), k -> new Series());
    }

    /** Everything, in Prometheus' text exposition format (version 0.0.4). */
    public synchronized String render() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP ").append(REQUESTS).append(" Requests served, as Istio's sidecars count them.\n");
        out.append("# TYPE ").append(REQUESTS).append(" counter\n");
        series.forEach((labels, s) -> out.append(REQUESTS).append('{').append(labels).append("} ").append(s.count)
                .append('\n'));
        out.append("# HELP ").append(DURATION).append(" Request duration, as Istio's sidecars measure it.\n");
        out.append("# TYPE ").append(DURATION).append(" histogram\n");
        series.forEach((labels, s) -> {
            for (int i = 0; i < BUCKETS.length; i++) {
                out.append(DURATION).append("_bucket{").append(labels).append(",le=\"").append(number(BUCKETS[i]))
                        .append("\"} ").append(s.buckets[i]).append('\n');
            }
            out.append(DURATION).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(s.count).append('\n');
            out.append(DURATION).append("_sum{").append(labels).append("} ").append(number(s.sum)).append('\n');
            out.append(DURATION).append("_count{").append(labels).append("} ").append(s.count).append('\n');
        });
        return out.toString();
    }

    static String labels(Workload w, int code) {
        String unknown = "unknown";
        Map<String, String> l = new LinkedHashMap<>();
        l.put("reporter", "destination");
        l.put("source_workload", SOURCE);
        l.put("source_workload_namespace", w.namespace());
        l.put("source_principal", unknown);
        l.put("source_app", SOURCE);
        l.put("source_version", unknown);
        l.put("source_canonical_service", SOURCE);
        l.put("source_canonical_revision", "latest");
        l.put("source_cluster", "Kubernetes");
        l.put("destination_workload", w.name());
        l.put("destination_workload_namespace", w.namespace());
        l.put("destination_principal", unknown);
        l.put("destination_app", w.app() == null ? unknown : w.app());
        l.put("destination_version", w.version() == null ? unknown : w.version());
        l.put("destination_service", w.service() + "." + w.namespace() + ".svc.cluster.local");
        l.put("destination_service_name", w.service());
        l.put("destination_service_namespace", w.namespace());
        l.put("destination_canonical_service", w.app() == null ? w.name() : w.app());
        l.put("destination_canonical_revision", w.version() == null ? "latest" : w.version());
        l.put("destination_cluster", "Kubernetes");
        l.put("request_protocol", "http");
        l.put("response_code", Integer.toString(code));
        l.put("grpc_response_status", "");
        l.put("response_flags", "-");
        l.put("connection_security_policy", "mutual_tls");
        List<String> parts = new ArrayList<>();
        l.forEach((k, v) -> parts.add(k + "=\"" + escape(v) + '"'));
        return String.join(",", parts);
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }
}
