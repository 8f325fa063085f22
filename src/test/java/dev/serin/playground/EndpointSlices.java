package dev.serin.playground;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plays the EndpointSlice controller, as far as Serin's Gateway API router looks (it names a Service in a route only
 * once the Service has ready endpoints): every Service with a selector gets one slice labelled
 * {@code kubernetes.io/service-name} listing one ready endpoint per ready replica of the Deployments whose pod
 * template the selector matches (the playground has no pods; {@link ReadyReplicas} reports them ready). A Service
 * without a selector, or gone, loses its slice. Writes only what changed.
 */
final class EndpointSlices implements Runnable {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    static final String MANAGED_BY = "playground.serin.dev";
    private static final String SUFFIX = "-playground";

    private final KubernetesClient client;

    EndpointSlices(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public void run() {
        try {
            tick();
        } catch (RuntimeException e) {
            System.err.println("[playground] endpointslice controller: " + e.getMessage());
        }
    }

    void tick() {
        Map<String, List<Deployment>> deployments = new java.util.HashMap<>();
        client.apps().deployments().inAnyNamespace().list().getItems().forEach(d -> deployments
                .computeIfAbsent(d.getMetadata().getNamespace(), k -> new ArrayList<>()).add(d));
        Set<String> wanted = new HashSet<>();
        for (Service service : client.services().inAnyNamespace().list().getItems()) {
            Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                continue;
            }
            String namespace = service.getMetadata().getNamespace();
            wanted.add(namespace + "/" + service.getMetadata().getName() + SUFFIX);
            int ready = readyPods(deployments.getOrDefault(namespace, List.of()), selector);
            write(namespace, service.getMetadata().getName(), ready);
        }
        for (EndpointSlice slice : client.discovery().v1().endpointSlices().inAnyNamespace()
                .withLabel(MANAGED_BY_LABEL, MANAGED_BY).list().getItems()) {
            if (!wanted.contains(slice.getMetadata().getNamespace() + "/" + slice.getMetadata().getName())) {
                client.discovery().v1().endpointSlices().inNamespace(slice.getMetadata().getNamespace())
                        .withName(slice.getMetadata().getName()).delete();
            }
        }
    }

    /** Ready replicas of the Deployments (not being deleted) whose pod template labels the selector matches. */
    static int readyPods(List<Deployment> deployments, Map<String, String> selector) {
        int ready = 0;
        for (Deployment d : deployments) {
            Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
            if (d.getMetadata().getDeletionTimestamp() == null && labels != null
                    && labels.entrySet().containsAll(selector.entrySet()) && d.getStatus() != null
                    && d.getStatus().getReadyReplicas() != null) {
                ready += d.getStatus().getReadyReplicas();
            }
        }
        return ready;
    }

    private void write(String namespace, String service, int ready) {
        var slices = client.discovery().v1().endpointSlices().inNamespace(namespace);
        EndpointSlice live = slices.withName(service + SUFFIX).get();
        List<Endpoint> endpoints = endpoints(service, ready);
        try {
            if (live == null) {
                slices.resource(new EndpointSliceBuilder().withNewMetadata().withName(service + SUFFIX)
                        .withNamespace(namespace)
                        .withLabels(Map.of(SERVICE_NAME_LABEL, service, MANAGED_BY_LABEL, MANAGED_BY)).endMetadata()
                        .withAddressType("IPv4").withEndpoints(endpoints).build()).create();
            } else if (size(live) != ready) {
                live.setEndpoints(endpoints);
                slices.resource(live).update();
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // written meanwhile: the next tick looks again
        }
    }

    private static int size(EndpointSlice slice) {
        return slice.getEndpoints() == null ? 0 : slice.getEndpoints().size();
    }

    private static List<Endpoint> endpoints(String service, int ready) {
        List<Endpoint> endpoints = new ArrayList<>();
        int base = Math.floorMod(service.hashCode(), 250);
        for (int i = 0; i < ready; i++) {
            endpoints.add(new EndpointBuilder().withAddresses("10." + base + "." + (i / 250) + "." + (i % 250 + 2))
                    .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                    .build());
        }
        return endpoints;
    }
}
