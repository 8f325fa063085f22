package dev.serin.autopilot;

import static org.awaitility.Awaitility.await;

import dev.serin.Fixture;
import dev.serin.TestClock;
import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.reconcile.Controller;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/** What the autopilot scenario tests share: a Canary's autopilot, one pass of it, the checks it records. */
public final class AutopilotRuns {
    private AutopilotRuns() {
    }

    /** Gives the Canary an autopilot through {@code steps} every {@code interval}; {@code progressDeadline} may be null. */
    public static AutopilotSpec autopilot(Canary c, List<Double> steps, String interval, String progressDeadline) {
        AutopilotSpec a = new AutopilotSpec();
        a.steps = steps;
        a.interval = interval;
        a.progressDeadline = progressDeadline;
        c.getSpec().autopilot = a;
        return a;
    }

    /** One autopilot pass once the controller's cache holds everything written so far. */
    public static void tick(Controller controller, Autopilot autopilot, Duration deadline) {
        await().atMost(deadline).until(controller::idle);
        autopilot.tick();
    }

    /** Deletes Canary {@code name} and waits until it is gone: the autopilot ticks over every Canary. */
    public static void delete(Fixture f, String name, Duration deadline) {
        f.client.resources(Canary.class).inNamespace(f.namespace).withName(name).delete();
        await().atMost(deadline).until(() -> f.getCanary(name) == null);
    }

    /** The latest analysis record; null before the first. */
    public static AnalysisRecord last(CanaryStatus status) {
        List<AnalysisRecord> records = status.analysis;
        return records == null || records.isEmpty() ? null : records.get(records.size() - 1);
    }

    /** One {@code interval} on, one pass, and the check it brings, once the controller and autopilot are idle. */
    public static AnalysisRecord check(Supplier<CanaryStatus> status, Controller controller, Autopilot autopilot,
            TestClock clock, Duration interval, Duration deadline) {
        AnalysisRecord previous = last(status.get());
        String before = previous == null ? null : previous.time;
        clock.advance(interval);
        tick(controller, autopilot, deadline);
        await().atMost(deadline).until(() -> last(status.get()) != null
                && !Objects.equals(before, last(status.get()).time));
        await().atMost(deadline).until(() -> controller.idle() && autopilot.idle());
        return last(status.get());
    }
}
