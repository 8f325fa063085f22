package dev.serin.autopilot.analysis;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in PromQL over Istio's standard metrics, as pure functions.
 *
 * <p>Every selector has {@code reporter="destination"} so each request is counted once, by the canary's own sidecar,
 * and is narrowed to the canary with {@code destination_workload_namespace}, {@code destination_workload} and (when a
 * version is given) {@code destination_version}.
 *
 * <p>User queries may use placeholders, replaced before the query is sent: {@code {{namespace}}}, {@code {{workload}}}
 * and {@code {{version}}} (escaped for use inside a double-quoted PromQL string, e.g.
 * {@code destination_workload="{{workload}}"}) and {@code {{window}}} (a Prometheus duration such as {@code 5m}, e.g.
 * {@code [{{window}}]}). Anything else is sent as written.
 */
public final class PromQl {
    public static final String REQUESTS_TOTAL = "istio_requests_total";
    public static final String DURATION_BUCKET = "istio_request_duration_milliseconds_bucket";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(namespace|workload|version|window)\\s*}}");

    private PromQl() {
    }

    /** Requests the canary received in the window: {@code sum(increase(istio_requests_total{...}[W]))}. */
    public static String requests(String namespace, String workload, String version, Duration window) {
        return "sum(increase(" + REQUESTS_TOTAL + selector(namespace, workload, version, null)
                + "[" + duration(window) + "]))";
    }

    /**
     * Percent of the canary's requests in the window that were not 5xx. No 5xx series (none ever failed): 100. No
     * request series, or no requests in the window (0/0): no data.
     */
    public static String successRate(String namespace, String workload, String version, Duration window) {
        String w = "[" + duration(window) + "]";
        String errors = "sum(increase(" + REQUESTS_TOTAL + selector(namespace, workload, version, "5..") + w + "))";
        String all = "sum(increase(" + REQUESTS_TOTAL + selector(namespace, workload, version, null) + w + "))";
        // "or vector(0)" only on the numerator: both sides of "/" are label-less after sum(), so they match
        return "100 * (1 - (" + errors + " or vector(0)) / " + all + ")";
    }

    /** 99th percentile of the canary's request duration in the window, in milliseconds. */
    public static String latencyP99(String namespace, String workload, String version, Duration window) {
        return "histogram_quantile(0.99, sum by (le) (rate(" + DURATION_BUCKET
                + selector(namespace, workload, version, null) + "[" + duration(window) + "])))";
    }

    /** A user query with its placeholders replaced (see the class comment). */
    public static String expand(String query, String namespace, String workload, String version, Duration window) {
        Map<String, String> values = Map.of(
                "namespace", escape(namespace),
                "workload", escape(workload),
                "version", version == null ? "" : escape(version),
                "window", duration(window));
        Matcher m = PLACEHOLDER.matcher(query);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The label selector; {@code codeRegex} adds {@code response_code=~"..."} when not null. */
    static String selector(String namespace, String workload, String version, String codeRegex) {
        StringBuilder s = new StringBuilder("{reporter=\"destination\"");
        s.append(",destination_workload_namespace=\"").append(escape(namespace)).append('"');
        s.append(",destination_workload=\"").append(escape(workload)).append('"');
        if (version != null && !version.isBlank()) {
            s.append(",destination_version=\"").append(escape(version)).append('"');
        }
        if (codeRegex != null) {
            s.append(",response_code=~\"").append(escape(codeRegex)).append('"');
        }
        return s.append('}').toString();
    }

    /** Escapes a value for a double-quoted PromQL string: backslash, double quote and line breaks. */
    public static String escape(String value) {
        StringBuilder s = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> s.append("\\\\");
                case '"' -> s.append("\\\"");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    /**
     * A Prometheus duration for a positive window, in the largest unit that divides it exactly: 5m, 90s, 1h, 1500ms.
     * Sub-millisecond parts are dropped; a window under 1ms is rejected.
     */
    public static String duration(Duration window) {
        long ms = window.toMillis();
        if (ms <= 0) {
            throw new IllegalArgumentException("window must be at least 1ms: " + window);
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (ms % sizes[i] == 0) {
                return (ms / sizes[i]) + units[i];
            }
        }
        throw new AssertionError("unreachable");
    }
}
