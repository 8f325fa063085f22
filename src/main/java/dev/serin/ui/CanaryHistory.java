package dev.serin.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.cluster.ClusterCache;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What Serin saw of each Canary's weights since it started, for the dashboard's chart when no Prometheus is known:
 * a point whenever desired weight, applied weight, observed share or phase change in the cache. In memory only,
 * at most {@code serin.ui.history.max-points} points per Canary (oldest dropped), forgotten when the Canary goes.
 */
@ApplicationScoped
public class CanaryHistory {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final int maxPoints;
    private final Map<String, Deque<HistoryPoint>> byCanary = new ConcurrentHashMap<>();

    public CanaryHistory(Clock clock, @ConfigProperty(name = "serin.ui.history.max-points", defaultValue = "1000") int maxPoints) {
        this.clock = clock;
        this.maxPoints = Math.max(2, maxPoints);
    }

    void register(@Observes StartupEvent start, ClusterCache cache) {
        cache.observeCanaries(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Canary canary) {
                record(canary);
            }

            @Override
            public void onUpdate(Canary before, Canary after) {
                record(after);
            }

            @Override
            public void onDelete(Canary canary, boolean deletedFinalStateUnknown) {
                byCanary.remove(key(canary.getMetadata().getNamespace(), canary.getMetadata().getName()));
            }
        });
    }

    /** Adds a point when something the chart shows changed since the last one. */
    public void record(Canary canary) {
        HistoryPoint point = pointOf(canary);
        Deque<HistoryPoint> points = byCanary.computeIfAbsent(
                key(canary.getMetadata().getNamespace(), canary.getMetadata().getName()), k -> new ArrayDeque<>());
        synchronized (points) {
            if (point.sameAs(points.peekLast())) {
                return;
            }
            points.addLast(point);
            while (points.size() > maxPoints) {
                points.removeFirst();
            }
        }
    }

    /** Oldest first; empty when Serin has seen nothing of that Canary. */
    public List<HistoryPoint> points(String namespace, String name) {
        Deque<HistoryPoint> points = byCanary.get(key(namespace, name));
        if (points == null) {
            return List.of();
        }
        synchronized (points) {
            return List.copyOf(points);
        }
    }

    private HistoryPoint pointOf(Canary canary) {
        var spec = canary.getSpec();
        var status = canary.getStatus();
        return new HistoryPoint(clock.instant().truncatedTo(ChronoUnit.MILLIS).toString(),
                spec == null ? null : spec.weight,
                status == null ? null : status.weight,
                observedShare(canary),
                status == null || status.phase == null ? null : status.phase.name(),
                status == null ? null : status.weightChangedAt);
    }

    // status.observed is written by the observed-share measurement; read through JSON so this works with or without it
    private static Double observedShare(Canary canary) {
        if (canary.getStatus() == null) {
            return null;
        }
        JsonNode share = JSON.valueToTree(canary.getStatus()).path("observed").path("share");
        return share.isNumber() ? share.asDouble() : null;
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
