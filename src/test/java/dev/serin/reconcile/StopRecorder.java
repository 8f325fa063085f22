package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.Fixture;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * Records every version of one VirtualService and when one canary Deployment started deleting, by resourceVersion:
 * the strict server's resourceVersion is one global counter, so versions seen on two watch connections compare
 * exactly whatever order their events arrive in.
 *
 * <p>It also plays the Deployment controller's part in a deletion: {@link #holdPods} gives the canary Deployment a
 * finalizer standing for its pods, so its deletion shows as a deletionTimestamp at a resourceVersion of its own (the
 * moment its pods stop taking requests); {@link #releasePods} lets it go, as the controller does once the pods are
 * gone.
 */
final class StopRecorder implements AutoCloseable {
    static final String PODS = "test.serin.dev/pods";
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private final Fixture f;
    private final String deployment;
    /** resourceVersion of each VirtualService version → whether it sends a share to the canary subset. */
    private final NavigableMap<Long, Boolean> weightsCanary = new ConcurrentSkipListMap<>();
    /** resourceVersion of each VirtualService version → the Canaries whose original routes it keeps. */
    private final NavigableMap<Long, Set<String>> splitBy = new ConcurrentSkipListMap<>();
    private volatile Long deletingSince;
    private final Watch services;
    private final Watch deployments;

    private StopRecorder(Fixture f, String virtualService, String deployment) {
        this.f = f;
        this.deployment = deployment;
        services = f.client.genericKubernetesResources(f.istio.virtualServices()).inNamespace(f.namespace)
                .withName(virtualService).watch(new Recorder<>(vs -> {
                    long version = Long.parseLong(vs.getMetadata().getResourceVersion());
                    JsonNode tree = Fixture.JSON.convertValue(vs, JsonNode.class);
                    weightsCanary.put(version, weightsCanary(tree));
                    splitBy.put(version, splitBy(tree));
                }));
        deployments = f.client.apps().deployments().inNamespace(f.namespace).withName(deployment)
                .watch(new Recorder<>(d -> {
                    if (d.getMetadata().getDeletionTimestamp() != null && deletingSince == null) {
                        deletingSince = Long.parseLong(d.getMetadata().getResourceVersion());
                    }
                }));
    }

    static StopRecorder start(Fixture f, String virtualService, String deployment) {
        return new StopRecorder(f, virtualService, deployment);
    }

    /** Once the canary Deployment exists, gives it the finalizer that stands for its running pods. */
    void holdPods() {
        await().atMost(DEADLINE).until(() -> f.deploymentNow(deployment) != null);
        f.client.apps().deployments().inNamespace(f.namespace).withName(deployment)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":[\"" + PODS + "\"]}}");
    }

    /** Waits until the canary Deployment has started deleting, then lets it go as its pods would. */
    void releasePodsOnceDeleting() {
        await().atMost(DEADLINE).until(() -> deletingSince != null);
        f.client.apps().deployments().inNamespace(f.namespace).withName(deployment)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"finalizers\":null}}");
    }

    Long deletingSince() {
        return deletingSince;
    }

    /**
     * Every VirtualService version in force after the canary Deployment started deleting (the one in force at that
     * moment included) that still sends a share to the canary subset.
     */
    List<String> canaryWeightedAfterPodsWent() {
        List<String> violations = new ArrayList<>();
        Long since = deletingSince;
        if (since == null) {
            violations.add("the canary Deployment never started deleting");
            return violations;
        }
        var inForce = weightsCanary.floorEntry(since);
        if (inForce != null && inForce.getValue()) {
            violations.add("VirtualService version " + inForce.getKey() + " weights the canary subset when the canary "
                    + "Deployment starts deleting (" + since + ")");
        }
        weightsCanary.tailMap(since, false).forEach((version, weighted) -> {
            if (weighted) {
                violations.add("VirtualService version " + version + " weights the canary subset after the canary "
                        + "Deployment started deleting (" + since + ")");
            }
        });
        return violations;
    }

    /** Versions of the VirtualService, in order, as the Canaries that had split it then. */
    List<Set<String>> splitBy() {
        return List.copyOf(splitBy.values());
    }

    private static Set<String> splitBy(JsonNode vs) {
        Set<String> canaries = new TreeSet<>();
        JsonNode originals = vs.at("/metadata/annotations/serin.dev~1original-routes");
        if (originals.isTextual()) {
            Fixture.JSON.unmarshal(originals.asText(), java.util.Map.class).keySet()
                    .forEach(name -> canaries.add(String.valueOf(name)));
        }
        return canaries;
    }

    /** True while any route sends a share to the canary subset (a destination without weight takes it all). */
    static boolean weightsCanary(JsonNode vs) {
        for (String section : List.of("http", "tls", "tcp")) {
            for (JsonNode route : vs.path("spec").path(section)) {
                for (JsonNode d : route.path("route")) {
                    if ("canary".equals(d.path("destination").path("subset").asText())
                            && (!d.has("weight") || d.path("weight").asInt() > 0)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        services.close();
        deployments.close();
    }

    /** Hands every added or modified version to {@code onVersion}; deletions carry no new resourceVersion here. */
    private record Recorder<T>(Consumer<T> onVersion) implements Watcher<T> {
        @Override
        public void eventReceived(Action action, T resource) {
            if (action == Action.ADDED || action == Action.MODIFIED) {
                onVersion.accept(resource);
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }
}
