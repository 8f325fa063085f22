package dev.serin.cluster;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Whether the cluster serves Gateway API's HTTPRoute at gateway.networking.k8s.io/v1 (Gateway API v0.8 and later),
 * decided by API discovery when the controller starts and asked again while it does not; and the kinds the Gateway
 * API router reads and writes: HTTPRoutes (generic, so every field a user wrote survives a read-modify-write),
 * Services and EndpointSlices.
 */
@ApplicationScoped
public class GatewayApi {
    public static final String GROUP = "gateway.networking.k8s.io";
    public static final String VERSION = "v1";
    public static final String MISSING = "the cluster serves no " + GROUP + "/" + VERSION + " HTTPRoute: install the"
            + " Gateway API CRDs (v1.0 or later) to split traffic with HTTPRoutes";
    public static final ResourceDefinitionContext HTTP_ROUTES = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP).withVersion(VERSION).withKind("HTTPRoute").withPlural("httproutes").withNamespaced(true)
            .build();
    public static final ResourceDefinitionContext SERVICES = new ResourceDefinitionContext.Builder()
            .withGroup("").withVersion("v1").withKind("Service").withPlural("services").withNamespaced(true).build();
    public static final ResourceDefinitionContext ENDPOINT_SLICES = new ResourceDefinitionContext.Builder()
            .withGroup("discovery.k8s.io").withVersion("v1").withKind("EndpointSlice").withPlural("endpointslices")
            .withNamespaced(true).build();
    private static final Logger LOG = Logger.getLogger(GatewayApi.class);

    private final KubernetesClient client;
    private volatile boolean served;
    private volatile String problem = "Gateway API discovery not asked yet";

    public GatewayApi(KubernetesClient client) {
        this.client = client;
    }

    /** Decides anew, as the controller starts, and logs the outcome; true when HTTPRoutes are served. */
    public synchronized boolean decide() {
        problem = null;
        return recheck();
    }

    /** Asks discovery again while HTTPRoutes cannot be used; logs only what changed. True once they can be. */
    public synchronized boolean recheck() {
        String before = problem;
        try {
            APIResourceList list = client.getApiResources(GROUP + "/" + VERSION); // null: 404
            boolean found = list != null && list.getResources() != null
                    && list.getResources().stream().map(APIResource::getName).anyMatch("httproutes"::equals);
            served = found;
            if (found) {
                problem = null;
                LOG.infof("using %s/%s for HTTPRoutes", GROUP, VERSION);
                return true;
            }
            problem = MISSING;
            if (!problem.equals(before)) {
                LOG.info(problem);
            }
        } catch (RuntimeException e) { // KubernetesClientException mostly: unreachable, forbidden
            served = false;
            problem = "could not ask the API server whether it serves " + GROUP + "/" + VERSION + ": "
                    + e.getMessage();
            if (!problem.equals(before)) {
                LOG.warn(problem);
            }
        }
        return false;
    }

    public boolean served() {
        return served;
    }

    /** True when discovery answered that HTTPRoutes are not served (not merely that it could not be asked). */
    public boolean absent() {
        return MISSING.equals(problem);
    }

    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }
}
