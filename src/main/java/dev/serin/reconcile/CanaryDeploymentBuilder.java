package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.ContainerPatch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Derives the canary Deployment from the target's current pod template and the Canary's {@code spec.canary}.
 * Pure: the same inputs give the same Deployment, whose spec hash tells whether the live one must change. It is
 * labelled for the Canary and has no ownerReference to it ({@link dev.serin.cluster.MadeFor} says why).
 */
public final class CanaryDeploymentBuilder {
    /** Hash of the desired spec, so a reconcile compares one string instead of server-defaulted fields. */
    public static final String SPEC_HASH = "serin.dev/spec-hash";
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private CanaryDeploymentBuilder() {
    }

    public static Deployment build(Canary canary, ResolvedCanary resolved, Deployment target, int replicas) {
        DeploymentSpec spec = JSON.clone(target.getSpec()); // deep: the target in the cache must stay untouched
        spec.setReplicas(replicas);
        spec.setPaused(null);
        spec.setSelector(selector(target.getSpec().getSelector(), resolved));

        var template = spec.getTemplate();
        ObjectMeta podMeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
        var labels = new LinkedHashMap<>(nullToEmpty(podMeta.getLabels()));
        var annotations = new LinkedHashMap<>(nullToEmpty(podMeta.getAnnotations()));
        if (canary.getSpec().canary != null) {
            labels.putAll(nullToEmpty(canary.getSpec().canary.labels));
            annotations.putAll(nullToEmpty(canary.getSpec().canary.annotations));
        }
        labels.put(resolved.versionLabel(), resolved.version());
        labels.put(Canary.CANARY_LABEL, resolved.name());
        podMeta.setLabels(labels);
        podMeta.setAnnotations(annotations.isEmpty() ? null : annotations);
        template.setMetadata(podMeta);
        template.getSpec().setContainers(patchContainers(template.getSpec().getContainers(), canary));

        // the target's own labels, except a GitOps tool's claim: else it shows the canary as its own and prunes it
        var metaLabels = new LinkedHashMap<>(nullToEmpty(target.getMetadata().getLabels()));
        metaLabels.keySet().removeIf(GitOps::isTracking);
        metaLabels.put(resolved.versionLabel(), resolved.version());
        metaLabels.put(Canary.CANARY_LABEL, resolved.name());
        Deployment deployment = new Deployment();
        deployment.setMetadata(new ObjectMeta());
        deployment.getMetadata().setName(resolved.deploymentName());
        deployment.getMetadata().setNamespace(resolved.namespace());
        deployment.getMetadata().setLabels(metaLabels);
        deployment.getMetadata().setAnnotations(new LinkedHashMap<>(Map.of(SPEC_HASH, hash(spec))));
        deployment.setSpec(spec);
        return deployment;
    }

    /** Names of containers in {@code spec.canary} that the target does not have. */
    public static List<String> unknownContainers(Canary canary, Deployment target) {
        List<String> unknown = new ArrayList<>();
        if (canary.getSpec().canary == null || canary.getSpec().canary.containers == null) {
            return unknown;
        }
        var names = target.getSpec().getTemplate().getSpec().getContainers().stream().map(Container::getName).toList();
        for (ContainerPatch patch : canary.getSpec().canary.containers) {
            if (!names.contains(patch.name)) {
                unknown.add(patch.name);
            }
        }
        return unknown;
    }

    // The target's selector is immutable, and so is ours: without the version label it never changes with the version.
    private static LabelSelector selector(LabelSelector stable, ResolvedCanary resolved) {
        var matchLabels = new LinkedHashMap<String, String>();
        List<LabelSelectorRequirement> expressions = new ArrayList<>();
        if (stable != null) {
            matchLabels.putAll(nullToEmpty(stable.getMatchLabels()));
            if (stable.getMatchExpressions() != null) {
                stable.getMatchExpressions().stream()
                        .filter(e -> !resolved.versionLabel().equals(e.getKey()))
                        .forEach(expressions::add);
            }
        }
        matchLabels.remove(resolved.versionLabel());
        matchLabels.put(Canary.CANARY_LABEL, resolved.name());
        return new LabelSelector(expressions.isEmpty() ? null : expressions, matchLabels);
    }

    static List<Container> patchContainers(List<Container> containers, Canary canary) {
        if (canary.getSpec().canary == null || canary.getSpec().canary.containers == null) {
            return containers;
        }
        for (ContainerPatch patch : canary.getSpec().canary.containers) {
            for (Container container : containers) {
                if (!container.getName().equals(patch.name)) {
                    continue;
                }
                if (patch.image != null && !patch.image.isBlank()) {
                    container.setImage(patch.image);
                }
                if (patch.env != null && !patch.env.isEmpty()) {
                    container.setEnv(mergeEnv(container.getEnv(), patch.env));
                }
            }
        }
        return containers;
    }

    /** Variables replaced by name where the target has them, appended where it does not. */
    static List<EnvVar> mergeEnv(List<EnvVar> base, List<EnvVar> overrides) {
        var merged = new LinkedHashMap<String, EnvVar>();
        if (base != null) {
            base.forEach(e -> merged.put(e.getName(), e));
        }
        overrides.forEach(e -> merged.put(e.getName(), e));
        return new ArrayList<>(merged.values());
    }

    static String hash(DeploymentSpec spec) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(JSON.asJson(spec).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <K, V> Map<K, V> nullToEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }
}
