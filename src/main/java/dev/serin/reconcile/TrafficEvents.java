package dev.serin.reconcile;

import static dev.serin.api.v1alpha1.ConditionTypes.TRAFFIC_APPLIED;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.config.SerinConfig;
import dev.serin.metrics.CanaryMetrics;
import dev.serin.traffic.BackendWords;
import dev.serin.traffic.Refusal;
import dev.serin.traffic.Split;
import dev.serin.traffic.Testers;
import dev.serin.traffic.Weight;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * What a route write tells people: the Event for it, and the TrafficApplied condition the pass ends with; and for a
 * {@link Refusal} (traffic Serin will not write as asked), its condition and one Warning Event.
 */
@ApplicationScoped
public class TrafficEvents {
    private final EventRecorder events;
    private final CanaryMetrics metrics;
    private final Duration refusalRetry;

    public TrafficEvents(EventRecorder events, CanaryMetrics metrics, SerinConfig config) {
        this.events = events;
        this.metrics = metrics;
        this.refusalRetry = config.reconcile().maxBackoff();
    }

    /** TrafficApplied=False for a refusal: its reason and message. */
    static Condition refused(Refusal refusal) {
        return Conditions.of(TRAFFIC_APPLIED, false, refusal.reason(), refusal.message());
    }

    /**
     * One Warning Event for a refusal the pass ended with ({@code now}), when the status it found ({@code before})
     * did not say so already: a repeat pass, or one on a cache without the previous pass's status, says nothing.
     */
    void reported(Canary canary, CanaryStatus before, Condition now) {
        Condition previous = before == null ? null : Conditions.find(before.conditions, TRAFFIC_APPLIED);
        if ("False".equals(now.getStatus()) && Refusal.isRefusal(now.getReason()) && (previous == null
                || !now.getReason().equals(previous.getReason()) || !now.getMessage().equals(previous.getMessage()))) {
            events.warning(canary, now.getReason(), now.getMessage());
        }
    }

    /** When to look again at a refused Canary if neither it nor its routes change first: the longest back-off. */
    Duration refusalRetry() {
        return refusalRetry;
    }

    /**
     * A shift Serin chose (TrafficShifted), or the undoing of someone else's edit (DriftReverted). A write that leaves
     * the share as it was (at creation: the routes pinned to the stable backend, canary share still 0) is no shift.
     * A new Canary reaching spec.weight also names the canary Deployment made for it ({@code canaryPods}): one Event
     * for its start, not one per step.
     */
    void shifted(Canary canary, Weight from, Weight to, Split split, Deployment canaryPods) {
        CanaryStatus previous = canary.getStatus();
        boolean wasApplied = previous != null && Conditions.isTrue(previous.conditions, TRAFFIC_APPLIED)
                && previous.weight != null && Weight.ofPercent(previous.weight).map(to::equals).orElse(false);
        String was = from == null ? "mixed" : from.toString();
        if (wasApplied) {
            metrics.weightChanged();
            events.warning(canary, "DriftReverted",
                    "routes were changed outside Serin (canary share " + was + "); restored " + describe(split));
        } else if (!to.equals(from)) {
            metrics.weightChanged();
            boolean starting = previous == null || previous.phase == null || previous.phase == Phase.Initializing;
            boolean arrived = Weight.ofPercent(canary.getSpec().weight).map(to::equals).orElse(false);
            String made = starting && arrived && canaryPods != null ? "; " + CanaryDeployments.createdNote(canaryPods) : "";
            events.normal(canary, "TrafficShifted", "weight " + was + " → " + to + ": " + describe(split) + made);
        }
    }

    /** A write that changed only the tester routes (or the sticky cookie): added, changed or removed. */
    void testers(Canary canary, Testers testers, Split split) {
        int matches = testers.matchesFor(split).size();
        if (matches == 0) {
            events.normal(canary, "TesterRoutesRemoved", "tester routes removed: they exist while spec.testers lists"
                    + " some (or spec.sticky while the weight is above 0) and the canary has ready pods");
        } else {
            events.normal(canary, "TesterRoutesWritten", matches + " tester match" + (matches == 1 ? "" : "es")
                    + " routed to the canary whatever the weight");
        }
    }

    void lowered(Canary canary, int ready, int needed, Weight to) {
        events.warning(canary, PodShortfall.REASON, "only " + ready + " of " + needed + " canary pods ready for longer "
                + "than " + SettleTimers.SETTLE_NAME + ": weight lowered to " + to + " until they recover");
    }

    /** TrafficApplied once the routes carry {@code written}: applied, held for pods, or lowered for lost pods. */
    static Condition condition(Weight written, Weight desired, Split split, String routes,
            boolean lowered, int ready, int needed) {
        if (written.equals(desired)) {
            return Conditions.of(TRAFFIC_APPLIED, true, "WeightApplied", describe(split) + " in " + routes);
        }
        return lowered
                ? Conditions.of(TRAFFIC_APPLIED, false, PodShortfall.REASON, "weight lowered to " + written + ": "
                        + ready + " of " + needed + " canary pods ready for " + desired)
                : Conditions.of(TRAFFIC_APPLIED, false, "WaitingForCanaryPods", "weight held at " + written
                        + " until " + needed + " canary pods are ready for " + desired);
    }

    /** The routes hold {@code current} until the backends {@code toWrite} needs can take traffic. */
    static Condition held(Weight current, Weight toWrite, BackendWords words) {
        return Conditions.of(TRAFFIC_APPLIED, false, words.waitingReason(), "weight held at "
                + (current == null ? "what the routes carry" : current) + " until the " + words.plural()
                + " for " + toWrite + " can take traffic");
    }

    /** Lowered for lost pods on an earlier pass and not back at spec.weight yet. */
    static boolean wasLowered(Canary canary) {
        Condition previous = canary.getStatus() == null ? null : Conditions.find(canary.getStatus().conditions, TRAFFIC_APPLIED);
        return previous != null && PodShortfall.REASON.equals(previous.getReason());
    }

    static String describe(Split split) {
        return "stable " + split.stable() + ", canary " + split.canary();
    }
}
