package dev.serin.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Samples Serin's work queue depth (Canaries waiting for a reconcile worker) every {@value #PERIOD_MS} ms while a
 * phase runs: how often it was empty, its percentiles, and its maximum and mean per second over the phase.
 */
final class QueueSampler implements AutoCloseable {
    static final long PERIOD_MS = 50;
    private final IntSupplier depth;
    private final List<int[]> samples = new ArrayList<>(); // {ms since start, depth}
    private final long start = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    QueueSampler(IntSupplier depth) {
        this.depth = depth;
        this.thread = new Thread(this::run, "bench-queue-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            int d;
            try {
                d = depth.getAsInt();
            } catch (RuntimeException e) {
                d = -1;
            }
            synchronized (samples) {
                samples.add(new int[] {(int) ((System.nanoTime() - start) / 1_000_000), d});
            }
            next += PERIOD_MS * 1_000_000;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Stops sampling and summarises. */
    Map<String, Object> stop() throws InterruptedException {
        running = false;
        thread.join(5_000);
        List<int[]> all;
        synchronized (samples) {
            all = new ArrayList<>(samples);
        }
        all.removeIf(s -> s[1] < 0);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("period_ms", PERIOD_MS);
        m.put("samples", all.size());
        long empty = all.stream().filter(s -> s[1] == 0).count();
        m.put("empty_fraction", all.isEmpty() ? Double.NaN : Stats.round((double) empty / all.size()));
        int[] sorted = all.stream().mapToInt(s -> s[1]).sorted().toArray();
        m.put("p50", pct(sorted, 50));
        m.put("p90", pct(sorted, 90));
        m.put("p99", pct(sorted, 99));
        m.put("max", sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        // per second of the phase: [second, max depth, mean depth]
        Map<Integer, List<Integer>> bySecond = new LinkedHashMap<>();
        all.forEach(s -> bySecond.computeIfAbsent(s[0] / 1000, k -> new ArrayList<>()).add(s[1]));
        List<List<Object>> series = new ArrayList<>();
        bySecond.forEach((second, depths) -> series.add(List.of(second,
                depths.stream().mapToInt(Integer::intValue).max().orElse(0),
                Stats.round(depths.stream().mapToInt(Integer::intValue).average().orElse(0)))));
        m.put("per_second_max_mean", series);
        return m;
    }

    private static int pct(int[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    @Override
    public void close() {
        running = false;
    }
}
