package dev.serin.cluster;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.config.SerinConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Informers on Canaries and Deployments in the watched namespaces, and on the kinds each served traffic dialect
 * reads (Istio's VirtualServices and DestinationRules), started once the dialect is served. Every read Serin makes
 * comes from here, so a steady state costs the API server nothing but open watches.
 */
@ApplicationScoped
public class ClusterCache {
    private static final Logger LOG = Logger.getLogger(ClusterCache.class);
    private static final String DEPLOYMENTS = "deployments.apps";

    private final KubernetesClient client;
    private final List<String> namespaces;
    private final Kind<Canary> canaries = new Kind<>();
    private final Kind<Deployment> deployments = new Kind<>();
    /** The informers of each watched generic kind, by plural.group (whatever version is watched). */
    private final Map<String, Kind<GenericKubernetesResource>> generic = new ConcurrentHashMap<>();
    private final OwnWrites<GenericKubernetesResource> own = new OwnWrites<>();
    private final OwnWrites<Deployment> ownDeployments = new OwnWrites<>();

    public ClusterCache(KubernetesClient client, SerinConfig config) {
        this.client = client;
        this.namespaces = config.namespaces().orElse(List.of());
    }

    /** Starts the Canary and Deployment informers; handlers see each object once the cache holds it. */
    public synchronized void start(ResourceEventHandler<Canary> onCanary, ResourceEventHandler<Deployment> onDeployment) {
        canaries.start(scoped(ns -> client.resources(Canary.class).inNamespace(ns),
                client.resources(Canary.class).inAnyNamespace()), onCanary);
        deployments.start(scoped(ns -> client.apps().deployments().inNamespace(ns),
                client.apps().deployments().inAnyNamespace()), settling(ownDeployments, DEPLOYMENTS, onDeployment));
        LOG.infof("watching %s", namespaces.isEmpty() ? "all namespaces" : "namespaces " + namespaces);
    }

    /** Starts the informers of a kind a traffic dialect reads, at the version given; a kind watched already stays. */
    public synchronized void watch(ResourceDefinitionContext kind, ResourceEventHandler<GenericKubernetesResource> handler) {
        Kind<GenericKubernetesResource> informers = new Kind<>();
        if (generic.putIfAbsent(key(kind), informers) == null) {
            informers.start(scoped(ns -> client.genericKubernetesResources(kind).inNamespace(ns),
                    client.genericKubernetesResources(kind).inAnyNamespace()), settling(own, key(kind), handler));
        }
    }

    public synchronized void stop() {
        for (Kind<?> kind : List.of(canaries, deployments)) {
            kind.stop();
        }
        generic.values().forEach(Kind::stop);
        generic.clear();
        own.clear(); // the next start lists every object afresh
        ownDeployments.clear();
    }

    /** True once the Canary and Deployment informers have listed their objects. */
    public boolean synced() {
        return canaries.synced() && deployments.synced();
    }

    /** True once the informers of every given kind have listed their objects. */
    public boolean synced(List<ResourceDefinitionContext> kinds) {
        return kinds.stream().allMatch(kind -> {
            Kind<GenericKubernetesResource> informers = generic.get(key(kind));
            return informers != null && informers.synced();
        });
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

    /** A Deployment; Serin's own write of it stands in until the cache has caught up ({@link OwnWrites}). */
    public Deployment deployment(String namespace, String name) {
        return ownDeployments.seen(DEPLOYMENTS, namespace, name, deployments.get(namespace, name));
    }

    /**
     * Serin created ({@code replaced} null) or updated a Deployment over version {@code replaced}. (Not its deletes: a
     * deleted Deployment stays, with a deletionTimestamp, while its pods go, and Serin waits on that.)
     */
    public void wrote(String replaced, Deployment written) {
        ownDeployments.wrote(DEPLOYMENTS, written, replaced, written);
    }

    public List<Deployment> allDeployments() {
        return deployments.all();
    }

    /**
     * One object of a watched kind (any version); null when absent or while the kind is not watched. Serin's own
     * write of it stands in for the cached copy until the cache has caught up ({@link OwnWrites}).
     */
    public GenericKubernetesResource get(String plural, String group, String namespace, String name) {
        Kind<GenericKubernetesResource> informers = generic.get(plural + "." + group);
        return informers == null ? null
                : own.seen(plural + "." + group, namespace, name, informers.get(namespace, name));
    }

    /** Serin created or updated an object of a watched kind: {@code replaced} is the version it wrote over. */
    public void wrote(ResourceDefinitionContext kind, String replaced, GenericKubernetesResource written) {
        own.wrote(key(kind), written, replaced, written);
    }

    /** Serin deleted an object of a watched kind, as it was at {@code deleted}'s version. */
    public void deleted(ResourceDefinitionContext kind, HasMetadata deleted) {
        own.wrote(key(kind), deleted, deleted.getMetadata().getResourceVersion(), null);
    }

    /** The handler, after the kind's own writes have seen the event ({@link OwnWrites#cached}). */
    private static <T extends HasMetadata> ResourceEventHandler<T> settling(OwnWrites<T> own, String kindKey,
            ResourceEventHandler<T> handler) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                own.cached(kindKey, obj, obj);
                handler.onAdd(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                own.cached(kindKey, newObj, newObj);
                handler.onUpdate(oldObj, newObj);
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                own.cached(kindKey, obj, null);
                handler.onDelete(obj, deletedFinalStateUnknown);
            }
        };
    }

    /** The objects of a watched kind in a namespace; none while the kind is not watched. */
    public List<GenericKubernetesResource> list(String plural, String group, String namespace) {
        Kind<GenericKubernetesResource> informers = generic.get(plural + "." + group);
        return informers == null ? List.of() : informers.inNamespace(namespace);
    }

    /** Every object of a watched kind; none while the kind is not watched. */
    public List<GenericKubernetesResource> all(String plural, String group) {
        Kind<GenericKubernetesResource> informers = generic.get(plural + "." + group);
        return informers == null ? List.of() : informers.all();
    }

    public GenericKubernetesResource virtualService(String namespace, String name) {
        return get("virtualservices", IstioResources.GROUP, namespace, name);
    }

    public List<GenericKubernetesResource> virtualServices(String namespace) {
        return list("virtualservices", IstioResources.GROUP, namespace);
    }

    public List<GenericKubernetesResource> allVirtualServices() {
        return all("virtualservices", IstioResources.GROUP);
    }

    public GenericKubernetesResource destinationRule(String namespace, String name) {
        return get("destinationrules", IstioResources.GROUP, namespace, name);
    }

    public List<GenericKubernetesResource> destinationRules(String namespace) {
        return list("destinationrules", IstioResources.GROUP, namespace);
    }

    public List<GenericKubernetesResource> allDestinationRules() {
        return all("destinationrules", IstioResources.GROUP);
    }

    private static String key(ResourceDefinitionContext kind) {
        return kind.getPlural() + "." + kind.getGroup();
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
