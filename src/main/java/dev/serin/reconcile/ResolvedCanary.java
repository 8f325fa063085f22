package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.CanaryTemplate;
import dev.serin.traffic.TrafficTargets;

/**
 * A Canary's spec with every default filled in. Its routes and backends are the traffic package's to read
 * ({@link TrafficTargets}).
 *
 * @param versionLabel the pod label that tells stable from canary pods
 */
public record ResolvedCanary(
        String namespace,
        String name,
        String target,
        String version,
        String host,
        String versionLabel) {

    public static ResolvedCanary of(Canary canary) {
        var spec = canary.getSpec() == null ? new CanarySpec() : canary.getSpec(); // spec-less: all defaults
        String target = spec.targetRef == null ? null : spec.targetRef.name;
        CanaryTemplate template = spec.canary == null ? new CanaryTemplate() : spec.canary;
        return new ResolvedCanary(
                canary.getMetadata().getNamespace(),
                canary.getMetadata().getName(),
                target,
                orDefault(template.version, CanaryTemplate.DEFAULT_VERSION),
                TrafficTargets.host(canary),
                TrafficTargets.versionLabel(canary));
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
