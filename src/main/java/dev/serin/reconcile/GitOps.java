package dev.serin.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How Argo CD and Flux mark the objects they sync: tracking labels and annotations, and their field managers. */
public final class GitOps {
    /** Argo CD's default tracking label; Helm charts also put it on pods and selectors, so only metadata drops it. */
    static final String INSTANCE_LABEL = "app.kubernetes.io/instance";
    private static final List<String> TRACKING_PREFIXES = List.of("argocd.argoproj.io/", "kustomize.toolkit.fluxcd.io/",
            "helm.toolkit.fluxcd.io/");
    private static final List<String> MANAGERS = List.of("argocd-controller", "argocd-application-controller",
            "kustomize-controller", "helm-controller");

    private GitOps() {
    }

    /** A label or annotation by which a GitOps tool claims an object as its own. */
    public static boolean isTracking(String key) {
        return INSTANCE_LABEL.equals(key) || TRACKING_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** The GitOps tool that manages the object: a field manager it writes with, else a tracking label or annotation. */
    public static Optional<String> managerOf(HasMetadata object) {
        List<ManagedFieldsEntry> entries = object.getMetadata().getManagedFields();
        if (entries != null) {
            for (ManagedFieldsEntry e : entries) {
                if (MANAGERS.contains(e.getManager()) && e.getSubresource() == null) {
                    return Optional.of(e.getManager());
                }
            }
        }
        for (Map<String, String> marks : List.of(nullToEmpty(object.getMetadata().getLabels()),
                nullToEmpty(object.getMetadata().getAnnotations()))) {
            Optional<String> key = marks.keySet().stream().filter(GitOps::isTracking).sorted().findFirst();
            if (key.isPresent()) {
                return Optional.of(key.get().startsWith("kustomize") ? "Flux (kustomize-controller)"
                        : key.get().startsWith("helm") ? "Flux (helm-controller)" : "Argo CD");
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> nullToEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
