package dev.serin.cluster;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.config.SerinConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Informers on Canaries, Deployments, VirtualServices and DestinationRules in the watched namespaces. Every
 * read Serin makes comes from here, so a steady state costs the API server nothing but open watches.
 */
@ApplicationScoped
public class ClusterCache {
    private static final Logger LOG = Logger.getLogger(ClusterCache.class);

    private final KubernetesClient client;
    private final IstioApi istio;
    private final List<String> namespaces;
    private final Kind<Canary> canaries = new Kind<>();
    private final Kind<Deployment> deployments = new Kind<>();
    private final Kind<GenericKubernetesResource> virtualServices = new Kind<>();
    private final Kind<GenericKubernetesResource> destinationRules = new Kind<>();

    public ClusterCache(KubernetesClient client, IstioApi istio, SerinConfig config) {
        this.client = client;
        this.istio = istio;
        this.namespaces = config.namespaces().orElse(List.of());
    }

    /**
     * Starts every informer, the Istio ones at the version {@link IstioApi} decided; handlers see each object once the
     * cache holds it.
     */
    public synchronized void start(ResourceEventHandler<Canary> onCanary, ResourceEventHandler<Deployment> onDeployment,
            ResourceEventHandler<GenericKubernetesResource> onVirtualService,
            ResourceEventHandler<GenericKubernetesResource> onDestinationRule) {
        canaries.start(scoped(ns -> client.resources(Canary.class).inNamespace(ns),
                client.resources(Canary.class).inAnyNamespace()), onCanary);
        deployments.start(scoped(ns -> client.apps().deployments().inNamespace(ns),
                client.apps().deployments().inAnyNamespace()), onDeployment);
        IstioResources kinds = istio.resources();
        virtualServices.start(scoped(
                ns -> client.genericKubernetesResources(kinds.virtualServices()).inNamespace(ns),
                client.genericKubernetesResources(kinds.virtualServices()).inAnyNamespace()), onVirtualService);
        destinationRules.start(scoped(
                ns -> client.genericKubernetesResources(kinds.destinationRules()).inNamespace(ns),
                client.genericKubernetesResources(kinds.destinationRules()).inAnyNamespace()), onDestinationRule);
        LOG.infof("watching %s", namespaces.isEmpty() ? "all namespaces" : "namespaces " + namespaces);
    }

    public synchronized void stop() {
        for (Kind<?> kind : List.of(canaries, deployments, virtualServices, destinationRules)) {
            kind.stop();
        }
    }

    /** True once every informer has listed its objects. */
    public boolean synced() {
        return canaries.synced() && deployments.synced() && virtualServices.synced() && destinationRules.synced();
    }

    public Canary canary(String namespace, String name) {
        return canaries.get(namespace, name);
    }

    public List<Canary> canaries(String namespace) {
        return canaries.inNamespace(namespace);
    }

    public List<Canary> allCanaries() {
        return canaries.all();
    }

    public Deployment deployment(String namespace, String name) {
        return deployments.get(namespace, name);
    }

    public List<Deployment> allDeployments() {
        return deployments.all();
    }

    public GenericKubernetesResource virtualService(String namespace, String name) {
        return virtualServices.get(namespace, name);
    }

    public List<GenericKubernetesResource> virtualServices(String namespace) {
        return virtualServices.inNamespace(namespace);
    }

    public List<GenericKubernetesResource> allVirtualServices() {
        return virtualServices.all();
    }

    public GenericKubernetesResource destinationRule(String namespace, String name) {
        return destinationRules.get(namespace, name);
    }

    public List<GenericKubernetesResource> destinationRules(String namespace) {
        return destinationRules.inNamespace(namespace);
    }

    public List<GenericKubernetesResource> allDestinationRules() {
        return destinationRules.all();
    }

    private <T extends HasMetadata, O extends Informable<T>> List<Informable<T>> scoped(Function<String, O> inNamespace,
            AnyNamespaceOperation<T, ?, ?> anyNamespace) {
        if (namespaces.isEmpty()) {
            return List.of(anyNamespace);
        }
        List<Informable<T>> result = new ArrayList<>();
        namespaces.forEach(ns -> result.add(inNamespace.apply(ns)));
        return result;
    }

    /** The informers of one kind: one for all namespaces, or one per watched namespace. */
    private static final class Kind<T extends HasMetadata> {
        private final List<SharedIndexInformer<T>> informers = new ArrayList<>();

        void start(List<Informable<T>> sources, ResourceEventHandler<T> handler) {
            for (Informable<T> source : sources) {
                SharedIndexInformer<T> informer = source.runnableInformer(0);
                informer.addEventHandler(handler);
                informer.start();
                informers.add(informer);
            }
        }

        void stop() {
            informers.forEach(SharedIndexInformer::stop);
            informers.clear();
        }

        boolean synced() {
            return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
        }

        T get(String namespace, String name) {
            for (SharedIndexInformer<T> informer : informers) {
                T item = informer.getStore().getByKey(namespace + "/" + name);
                if (item != null) {
                    return item;
                }
            }
            return null;
        }

        List<T> inNamespace(String namespace) {
            List<T> result = new ArrayList<>();
            informers.forEach(i -> result.addAll(i.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)));
            return result;
        }

        List<T> all() {
            List<T> result = new ArrayList<>();
            informers.forEach(i -> result.addAll(i.getStore().list()));
            return result;
        }
    }
}
