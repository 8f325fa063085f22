package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.CanaryTemplate;
import dev.serin.api.v1alpha1.TrafficSpec;
import java.util.List;

/** A Canary's spec with every default filled in. */
public record ResolvedCanary(
        String namespace,
        String name,
        String target,
        String version,
        String host,
        List<String> virtualServices,
        String destinationRule,
        String subsetLabel) {

    public static ResolvedCanary of(Canary canary) {
        var spec = canary.getSpec() == null ? new CanarySpec() : canary.getSpec(); // spec-less: all defaults
        String target = spec.targetRef == null ? null : spec.targetRef.name;
        CanaryTemplate template = spec.canary == null ? new CanaryTemplate() : spec.canary;
        TrafficSpec traffic = spec.traffic == null ? new TrafficSpec() : spec.traffic;
        return new ResolvedCanary(
                canary.getMetadata().getNamespace(),
                canary.getMetadata().getName(),
                target,
                orDefault(template.version, CanaryTemplate.DEFAULT_VERSION),
                orDefault(traffic.host, target),
                traffic.virtualServices == null || traffic.virtualServices.isEmpty()
                        ? (target == null ? List.of() : List.of(target))
                        : List.copyOf(traffic.virtualServices),
                orDefault(traffic.destinationRule, target),
                orDefault(traffic.subsetLabel, TrafficSpec.DEFAULT_SUBSET_LABEL));
    }

    public String deploymentName() {
        return deploymentName(name);
    }

    /** The canary Deployment's name for the Canary of that name. */
    public static String deploymentName(String canary) {
        return canary + "-canary";
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
