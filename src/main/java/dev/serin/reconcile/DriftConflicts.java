package dev.serin.reconcile;

import static dev.serin.api.v1alpha1.ConditionTypes.TRAFFIC_APPLIED;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.cluster.FieldManager;
import dev.serin.metrics.DriftMetrics;
import dev.serin.reconcile.ConflictBackoff.Part;
import dev.serin.traffic.OwnedFields;
import dev.serin.traffic.TrafficRouters;
import dev.serin.traffic.TrafficTarget;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Notices a fight over the routes or backends Serin wrote: when another writer (a GitOps sync) reverts them
 * {@code serin.drift.conflict-threshold} times within {@code serin.drift.conflict-window}, Serin stops reverting for a
 * back-off that doubles with each re-revert, writes once at each back-off's end, and says who it fights with.
 * A single revert is still undone at once. The memory is per Canary and in this process only: after a restart, a
 * leader change, or for a Canary created again under the same name, a fight is noticed afresh.
 */
@ApplicationScoped
public class DriftConflicts implements CanaryMemory {
    public static final String REASON = "ConflictingWriter";

    private final Map<String, ConflictBackoff> byCanary = new ConcurrentHashMap<>();
    private final Map<String, String> writers = new ConcurrentHashMap<>();
    private final TrafficRouters routers;
    private final Clock clock;
    private final EventRecorder events;
    private final DriftMetrics metrics;
    private final int threshold;
    private final Duration window;
    private final Duration initial;
    private final Duration max;

    public DriftConflicts(TrafficRouters routers, Clock clock, EventRecorder events, DriftMetrics metrics,
            @ConfigProperty(name = "serin.drift.conflict-threshold", defaultValue = "5") int threshold,
            @ConfigProperty(name = "serin.drift.conflict-window", defaultValue = "2m") Duration window,
            @ConfigProperty(name = "serin.drift.backoff-initial", defaultValue = "30s") Duration initial,
            @ConfigProperty(name = "serin.drift.backoff-max", defaultValue = "10m") Duration max) {
        this.routers = routers;
        this.clock = clock;
        this.events = events;
        this.metrics = metrics;
        this.threshold = threshold;
        this.window = window;
        this.initial = initial;
        this.max = max;
    }

    /** Before routes are written again: empty to write now, else how long to hold off. */
    public Optional<Duration> holdRoutes(Canary canary, TrafficTarget t, Object split) {
        return hold(canary, t, Part.ROUTES, split);
    }

    /** Before backends are written again: empty to write now, else how long to hold off. */
    public Optional<Duration> holdBackends(Canary canary, TrafficTarget t) {
        return hold(canary, t, Part.BACKENDS, backends(t));
    }

    public void wroteRoutes(TrafficTarget t, Object split) {
        state(t).wrote(Part.ROUTES, split, clock.instant());
    }

    public void wroteBackends(TrafficTarget t) {
        state(t).wrote(Part.BACKENDS, backends(t), clock.instant());
    }

    public void carriesRoutes(TrafficTarget t, Object split) {
        state(t).carries(Part.ROUTES, split, clock.instant());
    }

    public void carriesBackends(TrafficTarget t) {
        state(t).carries(Part.BACKENDS, backends(t), clock.instant());
    }

    /** TrafficApplied=False, ConflictingWriter, while a fight lasts. */
    public Optional<Condition> condition(TrafficTarget t) {
        ConflictBackoff state = byCanary.get(key(t));
        if (state == null || !state.fighting()) {
            return Optional.empty();
        }
        return Optional.of(Conditions.of(TRAFFIC_APPLIED, false, REASON, "the " + writers.get(key(t))
                + "; Serin backs off for " + state.backoff().toSeconds() + "s and then writes them once again"));
    }

    /** When to look again to end a fight whose other writer went quiet. */
    public Optional<Duration> recheck(TrafficTarget t) {
        ConflictBackoff state = byCanary.get(key(t));
        return state == null ? Optional.empty() : Optional.ofNullable(state.recheck(clock.instant()));
    }

    @Override
    public void forget(String key) {
        byCanary.remove(key);
        writers.remove(key);
    }

    @Override
    public void forgetAll() {
        byCanary.clear();
        writers.clear();
    }

    private Optional<Duration> hold(Canary canary, TrafficTarget t, Part part, Object desired) {
        ConflictBackoff state = state(t);
        ConflictBackoff.Verdict verdict = state.beforeWrite(part, desired, clock.instant());
        if (verdict.revert()) {
            metrics.reverted(t.namespace(), t.canary());
            writers.put(key(t), describe(part, t));
        }
        if (verdict.backoffStarted()) { // same message each time: the recorder counts repeats on one Event
            events.warning(canary, REASON, "the " + writers.get(key(t)) + "; Serin writes them once per back-off "
                    + "(up to " + max.toSeconds() + "s) until that writer stops");
        }
        if (state.idle()) {
            byCanary.remove(key(t));
        }
        return verdict.holding() ? Optional.of(verdict.hold()) : Optional.empty();
    }

    private String describe(Part part, TrafficTarget t) {
        OwnedFields owned = part == Part.ROUTES ? routers.of(t).routeFields(t) : routers.of(t).backendFields(t);
        return owned.description() + " are reverted by " + lastWriter(owned.objects(), owned.field())
                .orElse("another writer");
    }

    /**
     * The manager, other than Serin, that wrote last: among those whose managedFields name the field when the
     * server gives field detail, else among all that wrote the object (not its status).
     */
    static Optional<String> lastWriter(List<HasMetadata> objects, String field) {
        List<ManagedFieldsEntry> others = new ArrayList<>();
        for (HasMetadata o : objects) {
            Optional.ofNullable(o.getMetadata().getManagedFields()).orElse(List.of()).stream()
                    .filter(e -> !FieldManager.NAME.equals(e.getManager()) && e.getSubresource() == null)
                    .forEach(others::add);
        }
        List<ManagedFieldsEntry> ofField = others.stream().filter(e -> e.getFieldsV1() != null
                && String.valueOf(e.getFieldsV1().getAdditionalProperties()).contains(field)).toList();
        ManagedFieldsEntry last = null;
        for (ManagedFieldsEntry e : ofField.isEmpty() ? others : ofField) {
            if (last == null || String.valueOf(e.getTime()).compareTo(String.valueOf(last.getTime())) >= 0) {
                last = e; // RFC 3339 times in UTC compare as text; a tie goes to the later entry
            }
        }
        return Optional.ofNullable(last).map(ManagedFieldsEntry::getManager);
    }

    private ConflictBackoff state(TrafficTarget t) {
        return byCanary.computeIfAbsent(key(t), k -> new ConflictBackoff(threshold, window, initial, max));
    }

    private static String key(TrafficTarget t) {
        return t.namespace() + "/" + t.canary();
    }

    private static String backends(TrafficTarget t) {
        return t.versionLabel() + "=" + t.stableVersion() + "," + t.canaryVersion();
    }
}
