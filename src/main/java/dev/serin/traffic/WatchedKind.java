package dev.serin.traffic;

import dev.serin.api.v1alpha1.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A kind a router reads from the caches, and how a change to one of its objects maps back to Canaries.
 *
 * @param resource the kind at the version the router decided
 * @param canaries for a changed object and the live Canaries in its namespace: the names of the Canaries to
 *                 reconcile (those that refer to it, and those whose marks it bears, which may be gone)
 */
public record WatchedKind(ResourceDefinitionContext resource,
        BiFunction<GenericKubernetesResource, List<Canary>, Set<String>> canaries) {
}
