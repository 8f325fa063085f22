package dev.serin.autopilot;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.autopilot.analysis.Verdict;
import dev.serin.reconcile.CanaryMemory;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs step analyses off the reconcile threads, in a bounded pool, at most one per Canary at a time, each cut off at
 * {@code serin.autopilot.analysis-timeout}: one Canary's slow, hung or throwing provider delays only that Canary. A
 * result is kept per Canary with what it was decided on (its basis), for the Canary's next reconcile to take, and
 * that reconcile is queued as soon as the result is in.
 */
@ApplicationScoped
public class AnalysisRunner implements CanaryMemory {
    private static final Logger LOG = Logger.getLogger(AnalysisRunner.class);
    private static final int QUEUED = 1000;

    private record Pending(Object basis, CompletableFuture<StepAnalysis.Result> result) {
    }

    private final Duration timeout;
    private final Clock clock;
    private final ThreadPoolExecutor pool;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "serin-analysis-timeout"));
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, Object> taken = new ConcurrentHashMap<>();
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    public AnalysisRunner(@ConfigProperty(name = "serin.autopilot.analysis-timeout", defaultValue = "10s") Duration timeout,
            @ConfigProperty(name = "serin.autopilot.analysis-threads", defaultValue = "4") int threads, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(QUEUED),
                r -> daemon(r, "serin-analysis"));
    }

    /**
     * The finished analysis of {@code key} decided on {@code basis}; it stays here until {@link #landed} says the
     * decision made on it was written, so a write refused (409) is decided again from the same result. Otherwise
     * starts it (unless one of this Canary's still occupies a thread, or this basis was decided already) and returns
     * empty; {@code done} runs when its result is in.
     */
    public Optional<StepAnalysis.Result> result(String key, Object basis, Supplier<StepAnalysis.Result> analysis,
            Runnable done) {
        Pending p = pending.get(key);
        if (p != null && p.basis().equals(basis) && p.result().isDone()) {
            return Optional.of(p.result().join());
        }
        if ((p != null && p.basis().equals(basis)) || basis.equals(taken.get(key)) || busy.contains(key)) {
            return Optional.empty(); // running, or decided already (the cache is a moment behind that decision)
        }
        start(key, basis, analysis, done);
        return Optional.empty();
    }

    /** The decision on the result for {@code basis} was written: the result is used up. */
    public void landed(String key, Object basis) {
        pending.computeIfPresent(key, (k, p) -> p.basis().equals(basis) ? null : p);
        taken.put(key, basis);
    }

    /**
     * Drops what is kept for a Canary the autopilot no longer steps (or that is gone): a result nobody took, and which
     * basis was taken. An analysis still running only finishes its thread.
     */
    @Override
    public void forget(String key) {
        pending.remove(key);
        taken.remove(key);
    }

    /** Not reconciling any more: a result decided before the next leadership must not be taken in it. */
    @Override
    public void forgetAll() {
        pending.clear();
        taken.clear();
    }

    /** True when no analysis runs or waits to be taken (for tests). */
    public boolean idle() {
        return busy.isEmpty() && pending.values().stream().allMatch(p -> p.result().isDone());
    }

    private void start(String key, Object basis, Supplier<StepAnalysis.Result> analysis, Runnable done) {
        CompletableFuture<StepAnalysis.Result> result = new CompletableFuture<>();
        pending.put(key, new Pending(basis, result));
        busy.add(key);
        result.whenComplete((r, e) -> done.run());
        try {
            pool.execute(() -> run(key, analysis, result, done));
        } catch (RejectedExecutionException e) {
            busy.remove(key);
            pending.remove(key);
            LOG.warnf("analysis of %s not started: %d analyses queued already; the next tick tries again", key, QUEUED);
        }
    }

    private void run(String key, Supplier<StepAnalysis.Result> analysis, CompletableFuture<StepAnalysis.Result> result,
            Runnable done) {
        Thread worker = Thread.currentThread();
        Object lock = new Object();
        boolean[] over = {false};
        ScheduledFuture<?> cutOff = timer.schedule(() -> {
            synchronized (lock) {
                if (!over[0] && result.complete(inconclusive("analysis gave no answer within " + timeout.toMillis() + "ms"))) {
                    worker.interrupt();
                }
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            result.complete(analysis.get());
        } catch (RuntimeException | Error e) {
            LOG.warnf(e, "analysis of %s failed", key);
            result.complete(inconclusive("analysis failed: " + e));
        } finally {
            synchronized (lock) {
                over[0] = true;
            }
            cutOff.cancel(false);
            Thread.interrupted(); // a cut-off that came late must not reach the next analysis on this thread
            busy.remove(key);
            done.run(); // a check waiting for this thread can start now
        }
    }

    /** Holds the step: a provider that failed or did not answer says nothing about the canary. */
    private StepAnalysis.Result inconclusive(String message) {
        AnalysisRecord record = new AnalysisRecord();
        record.time = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        record.result = Verdict.INCONCLUSIVE.statusValue();
        AnalysisRecord.MetricValue metric = new AnalysisRecord.MetricValue();
        metric.name = "analysis";
        metric.result = record.result;
        metric.message = message.length() > 200 ? message.substring(0, 200) : message;
        record.metrics = List.of(metric);
        return new StepAnalysis.Result(Verdict.INCONCLUSIVE, record);
    }

    void shutdown(@Observes ShutdownEvent event) {
        pool.shutdownNow();
        timer.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
