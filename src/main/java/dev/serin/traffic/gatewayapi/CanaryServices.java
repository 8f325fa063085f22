package dev.serin.traffic.gatewayapi;

import dev.serin.api.v1alpha1.Canary;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The two ClusterIP Services a Canary's HTTPRoute rules name instead of the target's Service: the target's ports
 * ({@code name}, {@code port}, {@code targetPort}, {@code protocol} only) and its selector narrowed by the subset label
 * to one version. Labelled {@code serin.dev/canary: <name>} and never owned by the Canary, so deleting it in the
 * foreground cannot take them before the weight is withdrawn. Pure: the router creates, updates and deletes them.
 */
public final class CanaryServices {
    private CanaryServices() {
    }

    /**
     * The Service {@code name} selecting the target's pods of {@code version}; empty when the target selects no pods
     * by labels (a Service without a selector has no pods to narrow down).
     */
    public static Optional<Service> desired(Service target, String name, String canary, String subsetLabel,
            String version) {
        Map<String, String> selector = target.getSpec() == null ? null : target.getSpec().getSelector();
        if (selector == null || selector.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> narrowed = new LinkedHashMap<>(selector);
        narrowed.put(subsetLabel, version);
        List<ServicePort> ports = target.getSpec().getPorts() == null ? List.of()
                : target.getSpec().getPorts().stream().map(CanaryServices::port).toList();
        return Optional.of(new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(target.getMetadata().getNamespace())
                .addToLabels(Canary.CANARY_LABEL, canary).endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(narrowed).withPorts(ports).endSpec()
                .build());
    }

    /**
     * True when the live Service already is the desired one, in what Serin sets: its label, type, selector and ports
     * (the API server's defaults, protocol TCP and targetPort = port, counted as written). Everything else the server
     * fills in (clusterIP, ipFamilies, sessionAffinity) is left alone, so a steady state writes nothing.
     */
    public static boolean matches(Service live, Service desired) {
        if (live.getSpec() == null) {
            return false;
        }
        Map<String, String> labels = live.getMetadata().getLabels();
        String canary = desired.getMetadata().getLabels().get(Canary.CANARY_LABEL);
        List<ServicePort> livePorts = live.getSpec().getPorts() == null ? List.of() : live.getSpec().getPorts();
        List<ServicePort> wanted = desired.getSpec().getPorts();
        return labels != null && canary.equals(labels.get(Canary.CANARY_LABEL))
                && "ClusterIP".equals(Objects.requireNonNullElse(live.getSpec().getType(), "ClusterIP"))
                && desired.getSpec().getSelector().equals(live.getSpec().getSelector())
                && livePorts.size() == wanted.size()
                && java.util.stream.IntStream.range(0, wanted.size())
                        .allMatch(i -> samePort(livePorts.get(i), wanted.get(i)));
    }

    /**
     * The live Service with what Serin sets put back (label, type, selector, ports), keeping its resourceVersion and
     * what the server filled in, for an optimistic update.
     */
    public static Service updated(Service live, Service desired) {
        return new ServiceBuilder(live)
                .editMetadata().addToLabels(desired.getMetadata().getLabels()).endMetadata()
                .editSpec().withType("ClusterIP").withSelector(desired.getSpec().getSelector())
                .withPorts(desired.getSpec().getPorts()).endSpec()
                .build();
    }

    private static ServicePort port(ServicePort p) {
        return new ServicePortBuilder().withName(p.getName()).withPort(p.getPort())
                .withTargetPort(p.getTargetPort()).withProtocol(p.getProtocol()).build();
    }

    private static boolean samePort(ServicePort live, ServicePort wanted) {
        return Objects.equals(live.getName(), wanted.getName()) && Objects.equals(live.getPort(), wanted.getPort())
                && Objects.equals(targetPort(live), targetPort(wanted))
                && Objects.equals(protocol(live), protocol(wanted));
    }

    private static IntOrString targetPort(ServicePort p) {
        return p.getTargetPort() != null ? p.getTargetPort() : new IntOrString(p.getPort());
    }

    private static String protocol(ServicePort p) {
        return p.getProtocol() != null ? p.getProtocol() : "TCP";
    }
}
