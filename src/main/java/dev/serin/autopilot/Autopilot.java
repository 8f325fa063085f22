package dev.serin.autopilot;

import static dev.serin.api.v1alpha1.Phase.Aborted;
import static dev.serin.api.v1alpha1.Phase.Failed;
import static dev.serin.api.v1alpha1.Phase.Promoting;
import static dev.serin.api.v1alpha1.Phase.Succeeded;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.cluster.ClusterCache;
import dev.serin.reconcile.Conditions;
import dev.serin.reconcile.Controller;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The autopilot's clock: each tick queues the reconcile of every autopiloted Canary whose next move is due. The
 * move itself is decided in that reconcile ({@link AutopilotSteps}), so the autopilot writes only from its
 * Canary's reconcile, one writer per Canary. Runs only where the controller runs (on the leader).
 */
@ApplicationScoped
public class Autopilot {
    public static final String CONDITION = "Autopilot";
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_DEADLINE = Duration.ofMinutes(10);
    private static final int KEPT_RECORDS = 5;
    private static final Set<Phase> HANDS_OFF = Set.of(Aborted, Promoting, Succeeded, Failed);
    private static final Logger LOG = Logger.getLogger(Autopilot.class);

    private final ClusterCache cache;
    private final Controller controller;
    private final AutopilotSteps steps;

    public Autopilot(ClusterCache cache, Controller controller, AutopilotSteps steps) {
        this.cache = cache;
        this.controller = controller;
        this.steps = steps;
    }

    @Scheduled(every = "${serin.autopilot.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (controller.started()) {
            tick();
        }
    }

    /** Queues the reconcile of every autopiloted Canary whose next move is due; returns at once. */
    public void tick() {
        for (Canary canary : cache.allCanaries()) {
            try {
                if (eligible(canary) && steps.due(canary)) {
                    controller.enqueue(canary.getMetadata().getNamespace(), canary.getMetadata().getName());
                }
            } catch (RuntimeException e) { // its reconcile reports what is wrong with it; the others go on
                LOG.debugf(e, "autopilot tick skipped %s/%s", canary.getMetadata().getNamespace(), canary.getMetadata().getName());
            }
        }
    }

    /** True when no analysis runs or waits for its Canary's reconcile (for tests). */
    public boolean idle() {
        return steps.idle();
    }

    static boolean eligible(Canary canary) {
        CanaryStatus s = canary.getStatus();
        return canary.getMetadata().getDeletionTimestamp() == null && canary.getSpec() != null
                && canary.getSpec().autopilot != null && !Boolean.TRUE.equals(canary.getSpec().paused)
                && s != null && (s.phase == null || !HANDS_OFF.contains(s.phase))
                && Conditions.isTrue(s.conditions, "Valid");
    }

    static void remember(CanaryStatus s, AnalysisRecord record) {
        if (record == null) {
            return;
        }
        List<AnalysisRecord> records = s.analysis == null ? new ArrayList<>() : new ArrayList<>(s.analysis);
        records.add(record);
        s.analysis = records.subList(Math.max(0, records.size() - KEPT_RECORDS), records.size());
    }
}
