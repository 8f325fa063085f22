package dev.serin.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.config.SerinConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * What Serin saw of each Canary's weights since it started, for the dashboard's chart: a point whenever desired
 * weight, applied weight, observed share, phase or weightChangedAt change. In memory only, at most
 * {@code serin.ui.history.max-points} points per Canary (oldest dropped), forgotten when the Canary goes.
 *
 * <p>Fed by a read-only watch on Canaries of its own, on every replica whether it leads or not (the leader's cache
 * runs only while it leads): any replica may answer the dashboard, and a replica that takes over the lease keeps the
 * history it saw while it stood by. It lists and watches Canaries (granted in k8s/ for the controller) and writes
 * nothing.
 */
@ApplicationScoped
public class CanaryHistory {
    private static final Logger LOG = Logger.getLogger(CanaryHistory.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private final int maxPoints;
    private final Map<String, Deque<HistoryPoint>> byCanary = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<Canary>> informers = new CopyOnWriteArrayList<>();

    public CanaryHistory(Clock clock, @ConfigProperty(name = "serin.ui.history.max-points", defaultValue = "1000") int maxPoints) {
        this.clock = clock;
        this.maxPoints = Math.max(2, maxPoints);
    }

    void start(@Observes StartupEvent start, KubernetesClient client, SerinConfig config) {
        List<String> namespaces = config.namespaces().orElse(List.of());
        List<Informable<Canary>> sources = new ArrayList<>();
        if (namespaces.isEmpty()) {
            sources.add(client.resources(Canary.class).inAnyNamespace());
        } else {
            namespaces.forEach(ns -> sources.add(client.resources(Canary.class).inNamespace(ns)));
        }
        for (Informable<Canary> source : sources) {
            SharedIndexInformer<Canary> informer = source.runnableInformer(0);
            informer.addEventHandler(new ResourceEventHandler<>() {
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
            informer.start().whenComplete((ignored, error) -> {
                if (error != null) {
                    LOG.warnf("the dashboard's history cannot watch Canaries: %s", error.getMessage());
                }
            });
            informers.add(informer);
        }
    }

    @PreDestroy
    void stop() {
        informers.forEach(SharedIndexInformer::stop);
        informers.clear();
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
