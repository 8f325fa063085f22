package dev.serin.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * What bounds a phase, read at its start and end: how busy the API server was (its busy share of the phase's wall
 * time and its mean service time per request, from {@link ServerBusy}), how Serin's reconcile workers spent their
 * time (CPU on {@code serin-reconcile} threads against the reconciles' wall time: the rest is waiting for the API
 * server, or for a CPU on a loaded machine, which {@link RunQueueWait} measures apart), the machine's load average, and the benchmark JVM's garbage collections (count, time and the
 * longest pause), which stop Serin, the benchmark's watches and its bare round trip alike.
 */
final class PhaseCost {
    private static final AtomicLong LONGEST_PAUSE_MS = new AtomicLong();
    private static volatile boolean listening;

    private final MeterRegistry registry;
    private final RequestTally tally;
    private final long t0 = System.nanoTime();
    private final String loadavg0 = Machine.loadavg();
    private final Map<String, long[]> gc0 = gc();
    private final long workersCpu0 = reconcileThreadCpu();
    private final RunQueueWait runQueue = new RunQueueWait("serin-reconcile");
    private final RunQueueWait eventLoops = new RunQueueWait("vert.x-eventloop");
    private final long reconciles0;
    private final double reconcileMs0;
    private final Map<String, Object> server0;

    PhaseCost(MeterRegistry registry, RequestTally tally) {
        listen();
        this.registry = registry;
        this.tally = tally;
        Timer t = registry.find("serin.reconcile").timer();
        this.reconciles0 = t == null ? 0 : t.count();
        this.reconcileMs0 = t == null ? 0 : t.totalTime(TimeUnit.MILLISECONDS);
        this.server0 = tally.process(false);
        LONGEST_PAUSE_MS.set(0);
    }

    Map<String, Object> stop() {
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> server1 = tally.process(false);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wall_s", Stats.round(wall));
        Map<String, Object> api = new LinkedHashMap<>();
        double busy = num(server1, "busy_s") - num(server0, "busy_s");
        double service = num(server1, "service_s") - num(server0, "service_s");
        double served = num(server1, "served") - num(server0, "served");
        api.put("served", (long) served);
        api.put("busy_s", Stats.round(busy));
        api.put("busy_share", Stats.round(busy / wall));
        api.put("service_mean_ms", served == 0 ? 0 : Stats.round(service * 1000 / served));
        api.put("cpu_s", Stats.round(num(server1, "cpu_s") - num(server0, "cpu_s")));
        m.put("apiserver", api);
        Timer t = registry.find("serin.reconcile").timer();
        if (t != null) {
            Map<String, Object> w = new LinkedHashMap<>();
            double reconcileS = (t.totalTime(TimeUnit.MILLISECONDS) - reconcileMs0) / 1000;
            double cpu = (reconcileThreadCpu() - workersCpu0) / 1e9;
            w.put("reconciles", t.count() - reconciles0);
            w.put("reconcile_wall_s", Stats.round(reconcileS));
            w.put("busy_workers_mean", Stats.round(reconcileS / wall));
            w.put("cpu_s", Stats.round(cpu));
            w.put("waiting_share", reconcileS <= 0 ? 0 : Stats.round(Math.max(0, 1 - cpu / reconcileS)));
            long runQueueNs = runQueue.sinceStart();
            if (runQueueNs >= 0) {
                // runnable but not running: waiting for a CPU (includes the moments after a worker is woken for a key)
                double runQueueS = runQueueNs / 1e9;
                w.put("cpu_wait_s", Stats.round(runQueueS));
                w.put("cpu_wait_share", reconcileS <= 0 ? 0 : Stats.round(Math.min(1, runQueueS / reconcileS)));
                // the event loops carry the client's requests and responses (and the benchmark's own watches)
                w.put("event_loops_cpu_wait_s", Stats.round(eventLoops.sinceStart() / 1e9));
            }
            m.put("serin_workers", w);
        }
        Map<String, Object> gcs = new LinkedHashMap<>();
        gc().forEach((name, now) -> {
            long[] before = gc0.getOrDefault(name, new long[2]);
            if (now[0] > before[0]) {
                gcs.put(name, Map.of("count", now[0] - before[0], "ms", now[1] - before[1]));
            }
        });
        m.put("gc", gcs);
        m.put("gc_longest_pause_ms", LONGEST_PAUSE_MS.get());
        m.put("loadavg_start", loadavg0);
        m.put("loadavg_end", Machine.loadavg());
        return m;
    }

    private static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.doubleValue() : 0;
    }

    /** Collector name -> {collections, milliseconds} so far. */
    private static Map<String, long[]> gc() {
        Map<String, long[]> m = new LinkedHashMap<>();
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            m.put(b.getName(), new long[] {b.getCollectionCount(), b.getCollectionTime()});
        }
        return m;
    }

    /** The longest stop-the-world collection (G1's concurrent cycle is not a pause). */
    private static synchronized void listen() {
        if (listening) {
            return;
        }
        listening = true;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (b instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        return;
                    }
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    if (!info.getGcName().contains("Concurrent")) {
                        LONGEST_PAUSE_MS.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
                    }
                }, null, null);
            }
        }
    }

    static long reconcileThreadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("serin-reconcile")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
