package dev.serin.traffic.gatewayapi;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.Map;

/**
 * How many ready endpoints a Service has, from its EndpointSlices (labelled {@code kubernetes.io/service-name}): an
 * endpoint whose {@code conditions.ready} is true or absent, as consumers are told to read it.
 */
public final class EndpointReadiness {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private EndpointReadiness() {
    }

    public static int readyEndpoints(Collection<EndpointSlice> slices, String service) {
        int ready = 0;
        for (EndpointSlice slice : slices) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            if (labels == null || !service.equals(labels.get(SERVICE_NAME_LABEL)) || slice.getEndpoints() == null) {
                continue;
            }
            for (Endpoint endpoint : slice.getEndpoints()) {
                Boolean flag = endpoint.getConditions() == null ? null : endpoint.getConditions().getReady();
                if (flag == null || flag) {
                    ready++;
                }
            }
        }
        return ready;
    }
}
