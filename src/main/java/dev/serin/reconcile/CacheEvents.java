package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.cluster.ClusterCache;
import dev.serin.cluster.MadeFor;
import dev.serin.traffic.WatchedKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Turns informer events into the work-queue keys of the Canaries they concern: the live Canaries that refer to the
 * object by name, and the Canaries whose mark (label or bookkeeping annotation) it bears, which may be gone and so
 * need their leftovers swept.
 */
final class CacheEvents {
    private final ClusterCache cache;
    private final Consumer<String> enqueue;

    CacheEvents(ClusterCache cache, Consumer<String> enqueue) {
        this.cache = cache;
        this.enqueue = enqueue;
    }

    ResourceEventHandler<Canary> canaries() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Canary canary) {
                enqueue.accept(CanaryKeys.of(canary));
            }

            @Override
            public void onUpdate(Canary before, Canary after) {
                if (CanaryChanges.matter(before, after)) {
                    enqueue.accept(CanaryKeys.of(after));
                }
            }

            // another Canary on the same target may be waiting for this one to go
            @Override
            public void onDelete(Canary canary, boolean deletedFinalStateUnknown) {
                enqueue.accept(CanaryKeys.of(canary));
                cache.canaries(canary.getMetadata().getNamespace()).forEach(c -> enqueue.accept(CanaryKeys.of(c)));
            }
        };
    }

    ResourceEventHandler<Deployment> deployments() {
        return related((c, name) -> name.equals(c.target()) || name.equals(c.deploymentName()),
                d -> MadeFor.canary(d) == null ? Set.of() : Set.of(MadeFor.canary(d)));
    }

    /** Events of a kind a router watches: the Canaries its objects map back to, as the router says. */
    ResourceEventHandler<GenericKubernetesResource> watched(WatchedKind kind) {
        return handler(object -> kind.canaries().apply(object, cache.canaries(object.getMetadata().getNamespace()))
                .forEach(canary -> enqueue.accept(object.getMetadata().getNamespace() + "/" + canary)));
    }

    /** Enqueues every Canary in the object's namespace that refers to it by name, and every one it bears marks of. */
    private <T extends HasMetadata> ResourceEventHandler<T> related(BiPredicate<ResolvedCanary, String> refersTo,
            Function<T, Set<String>> marks) {
        Consumer<T> changed = object -> {
            String namespace = object.getMetadata().getNamespace();
            String name = object.getMetadata().getName();
            for (Canary canary : cache.canaries(namespace)) {
                if (canary.getSpec() != null && refersTo.test(ResolvedCanary.of(canary), name)) {
                    enqueue.accept(CanaryKeys.of(canary));
                }
            }
            marks.apply(object).forEach(canary -> enqueue.accept(namespace + "/" + canary));
        };
        return handler(changed);
    }

    private static <T extends HasMetadata> ResourceEventHandler<T> handler(Consumer<T> changed) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                changed.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                changed.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                changed.accept(obj);
            }
        };
    }
}
