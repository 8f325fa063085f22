package dev.serin.cluster;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The networking.istio.io version Serin reads and writes, decided by API discovery when the controller starts
 * (before its informers) and kept until the next start. The cache, the router and the readiness check ask here.
 */
@ApplicationScoped
public class IstioApi {
    private static final Logger LOG = Logger.getLogger(IstioApi.class);

    private final KubernetesClient client;
    private volatile IstioResources resources;
    private volatile String problem;

    public IstioApi(KubernetesClient client) {
        this.client = client;
    }

    /** Decides anew, as the controller starts, and logs the outcome; true when a supported version is served. */
    public synchronized boolean decide() {
        problem = null;
        return recheck();
    }

    /** Asks discovery again while Istio cannot be used; logs only what changed. True once it can be. */
    public synchronized boolean recheck() {
        String before = problem;
        try {
            Optional<String> chosen = discover();
            if (chosen.isPresent()) {
                resources = IstioResources.at(chosen.get());
                problem = null;
                LOG.infof("using %s for VirtualServices and DestinationRules", resources.apiVersion());
                return true;
            }
            resources = null;
            problem = IstioVersions.MISSING;
            if (!problem.equals(before)) {
                LOG.error(problem);
            }
        } catch (RuntimeException e) { // KubernetesClientException mostly: unreachable, forbidden
            resources = null;
            problem = "could not ask the API server which " + IstioResources.GROUP + " versions it serves: "
                    + e.getMessage();
            if (!problem.equals(before)) {
                LOG.warn(problem);
            }
        }
        LOG.debugf("%s; asking again later", problem);
        return false;
    }

    /** The kinds at the decided version; only valid after {@link #decide()} or {@link #recheck()} returned true. */
    public IstioResources resources() {
        IstioResources current = resources;
        if (current == null) {
            throw new IllegalStateException(Objects.requireNonNullElse(problem, "Istio version not decided yet"));
        }
        return current;
    }

    /** The decided version, e.g. "v1beta1", if any. */
    public Optional<String> version() {
        return Optional.ofNullable(resources).map(IstioResources::version);
    }

    /** True when discovery answered that no supported version is served (not merely that it could not be asked). */
    public boolean absent() {
        return IstioVersions.MISSING.equals(problem);
    }

    /** Why Serin cannot use Istio, while discovery says it cannot. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    // asks for v1beta1 only when v1 does not do
    private Optional<String> discover() {
        Map<String, List<String>> served = new LinkedHashMap<>();
        for (String version : IstioVersions.SUPPORTED) {
            APIResourceList list = client.getApiResources(IstioResources.GROUP + "/" + version); // null: 404
            served.put(version, list == null || list.getResources() == null ? List.of()
                    : list.getResources().stream().map(APIResource::getName).toList());
            Optional<String> chosen = IstioVersions.choose(served);
            if (chosen.isPresent()) {
                return chosen;
            }
        }
        return Optional.empty();
    }
}
