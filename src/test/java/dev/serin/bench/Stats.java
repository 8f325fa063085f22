package dev.serin.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Percentiles of a set of durations in nanoseconds, reported in milliseconds (nearest-rank). */
final class Stats {
    private final long[] sorted;

    Stats(long[] nanos) {
        this.sorted = nanos.clone();
        Arrays.sort(sorted);
    }

    int count() {
        return sorted.length;
    }

    double pct(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return ms(sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))]);
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : ms(sorted[sorted.length - 1]);
    }

    double mean() {
        return sorted.length == 0 ? Double.NaN : ms((long) Arrays.stream(sorted).average().orElse(0));
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count());
        m.put("p50_ms", round(pct(50)));
        m.put("p90_ms", round(pct(90)));
        m.put("p99_ms", round(pct(99)));
        m.put("max_ms", round(max()));
        m.put("mean_ms", round(mean()));
        return m;
    }

    static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 100) / 100.0;
    }

    @Override
    public String toString() {
        return String.format("n=%d p50=%.2fms p99=%.2fms max=%.2fms", count(), pct(50), pct(99), max());
    }
}
