package dev.serin.reconcile;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Keys waiting to be reconciled. A key is queued at most once, and is never handed to two workers at once: a
 * key added while it is being worked on runs again right after. Stopping takes no more keys and waits a while for
 * the ones being worked on.
 */
final class WorkQueue {
    private static final Logger LOG = Logger.getLogger(WorkQueue.class);

    private final LinkedBlockingQueue<String> ready = new LinkedBlockingQueue<>();
    private final Set<String> queued = new HashSet<>();
    private final Set<String> active = new HashSet<>();
    private final Set<String> again = new HashSet<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "serin-requeue"));
    private ExecutorService workers;
    private int threads;
    private final java.util.concurrent.atomic.AtomicInteger scheduled = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean running;

    synchronized void add(String key) {
        if (!running || queued.contains(key)) {
            return;
        }
        if (active.contains(key)) {
            again.add(key);
            return;
        }
        queued.add(key);
        ready.add(key);
    }

    void addAfter(String key, Duration delay) {
        if (running) {
            scheduled.incrementAndGet();
            timers.schedule(() -> {
                add(key);
                scheduled.decrementAndGet();
            }, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
        }
    }

    void start(int threads, Consumer<String> work) {
        this.threads = threads;
        running = true;
        workers = Executors.newFixedThreadPool(threads, r -> daemon(r, "serin-reconcile"));
        for (int i = 0; i < threads; i++) {
            workers.submit(() -> loop(work));
        }
    }

    /**
     * Takes no more keys, lets the reconciles in flight finish for at most {@code drain}, then interrupts those still
     * running. True when every one finished in time.
     */
    boolean stop(Duration drain) {
        synchronized (this) {
            running = false;
            queued.clear();
            again.clear();
            ready.clear();
        }
        timers.shutdownNow();
        if (workers == null) {
            return true;
        }
        for (int i = 0; i < threads; i++) {
            ready.add(""); // wakes an idle worker, which sees it is no longer running
        }
        workers.shutdown();
        boolean finished = false;
        try {
            finished = workers.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!finished) {
            workers.shutdownNow();
        }
        return finished;
    }

    /** Keys waiting for a worker (not those being reconciled or waiting for a retry). */
    synchronized int depth() {
        return queued.size();
    }

    synchronized boolean idle() {
        return queued.isEmpty() && active.isEmpty() && scheduled.get() == 0;
    }

    private void loop(Consumer<String> work) {
        while (running) {
            String key;
            try {
                key = ready.take();
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (!running) {
                    return; // stopped: takes no more work
                }
                queued.remove(key);
                active.add(key);
            }
            try {
                work.accept(key);
            } catch (RuntimeException e) {
                LOG.errorf(e, "reconcile of %s failed", key);
            } finally {
                synchronized (this) {
                    active.remove(key);
                    if (again.remove(key)) {
                        queued.add(key);
                        ready.add(key);
                    }
                }
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
