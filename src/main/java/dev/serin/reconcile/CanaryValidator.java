package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.traffic.TrafficTargets;
import dev.serin.traffic.Weight;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Checks a Canary against the cluster before anything that serves traffic is touched. Pure. */
public final class CanaryValidator {
    static final Comparator<Canary> FIRST_CREATED = Comparator
            .comparing((Canary c) -> String.valueOf(c.getMetadata().getCreationTimestamp()))
            .thenComparing(c -> c.getMetadata().getName());

    private CanaryValidator() {
    }

    /** A Canary without spec: the CRD once allowed it, so stored objects can still lack one. */
    public static Optional<Invalid> checkSpec(Canary canary) {
        if (canary.getSpec() == null) {
            return Optional.of(new Invalid("MissingSpec", "the Canary has no spec: set spec.targetRef.name"
                    + " (the stable Deployment) and spec.weight"));
        }
        return Optional.empty();
    }

    /** The desired weight, or why it is not usable. */
    public static Optional<Invalid> checkWeight(Canary canary, Function<Weight, Optional<Invalid>> routerCheck) {
        Double raw = canary.getSpec().weight;
        if (raw == null) {
            return Optional.of(new Invalid("InvalidWeight", "spec.weight is required"));
        }
        Optional<Weight> weight = Weight.ofPercent(raw);
        if (weight.isEmpty()) {
            return Optional.of(new Invalid("InvalidWeight",
                    "spec.weight " + raw + " must be a percent from 0 to 100 with at most 2 decimals"));
        }
        return routerCheck.apply(weight.get()); // a dialect may write only some weights
    }

    public static Optional<Invalid> validate(Canary canary, ResolvedCanary resolved, Deployment target,
            Collection<Canary> canariesInNamespace, Function<Weight, Optional<Invalid>> routerCheck) {
        Optional<Invalid> spec = checkSpec(canary);
        if (spec.isPresent()) {
            return spec;
        }
        Optional<Invalid> names = checkNames(resolved);
        if (names.isPresent()) {
            return names;
        }
        if (resolved.target() == null || resolved.target().isBlank()) {
            return Optional.of(new Invalid("MissingTarget", "spec.targetRef.name is required"));
        }
        Optional<Invalid> targetName = NameRules.deploymentName(resolved.target())
                .map(why -> new Invalid("InvalidTarget", "spec.targetRef.name: " + why));
        if (targetName.isPresent()) {
            return targetName;
        }
        Optional<Invalid> weight = checkWeight(canary, routerCheck);
        if (weight.isPresent()) {
            return weight;
        }
        if (target == null) {
            return Optional.of(new Invalid("TargetNotFound",
                    "Deployment " + resolved.target() + " not found in namespace " + resolved.namespace()));
        }
        Optional<Canary> first = canariesInNamespace.stream()
                .filter(c -> c.getSpec() != null && c.getSpec().targetRef != null
                        && resolved.target().equals(c.getSpec().targetRef.name))
                .min(FIRST_CREATED);
        if (first.isPresent() && !first.get().getMetadata().getName().equals(resolved.name())) {
            return Optional.of(new Invalid("TargetAlreadyHasCanary", "Deployment " + resolved.target()
                    + " already has Canary " + first.get().getMetadata().getName()));
        }
        Map<String, String> podLabels = target.getSpec().getTemplate().getMetadata() == null
                ? Map.of()
                : Optional.ofNullable(target.getSpec().getTemplate().getMetadata().getLabels()).orElse(Map.of());
        String stableValue = podLabels.get(resolved.versionLabel());
        if (stableValue == null) {
            return Optional.of(new Invalid(TrafficTargets.MISSING_VERSION_LABEL, "pods of Deployment " + resolved.target()
                    + " have no label " + resolved.versionLabel() + ", so stable pods cannot be told from canary pods"));
        }
        if (stableValue.equals(resolved.version())) {
            return Optional.of(new Invalid("VersionClash", "spec.canary.version " + resolved.version()
                    + " is the stable pods' " + resolved.versionLabel() + " label too"));
        }
        var unknown = CanaryDeploymentBuilder.unknownContainers(canary, target);
        if (!unknown.isEmpty()) {
            return Optional.of(new Invalid("UnknownContainer", "Deployment " + resolved.target()
                    + " has no container named " + String.join(", ", unknown)));
        }
        return Optional.empty();
    }

    /** The name and version become object names and label values: the API server would refuse invalid ones. */
    static Optional<Invalid> checkNames(ResolvedCanary resolved) {
        Optional<Invalid> name = NameRules.canaryName(resolved.name()).map(why -> new Invalid("InvalidName", why));
        if (name.isPresent()) {
            return name;
        }
        return NameRules.labelValue(resolved.version()).map(why -> new Invalid("InvalidVersion",
                "spec.canary.version " + why + "; it labels the canary pods " + resolved.versionLabel() + "=<version>"));
    }

    /** The stable pods' value of the version label; null when the target or the label is missing. */
    public static String stableVersion(Deployment target, ResolvedCanary resolved) {
        if (target == null || target.getSpec().getTemplate().getMetadata() == null
                || target.getSpec().getTemplate().getMetadata().getLabels() == null) {
            return null;
        }
        return target.getSpec().getTemplate().getMetadata().getLabels().get(resolved.versionLabel());
    }
}
