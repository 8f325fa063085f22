package dev.serin.cluster;

import dev.serin.api.v1alpha1.Canary;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Map;

/**
 * How Serin knows the objects it made for a Canary: the label {@code serin.dev/canary=<Canary name>}. Never an
 * ownerReference to the Canary: the garbage collector would delete such an object the moment the Canary is deleted
 * in the foreground, before the weight is withdrawn. Objects an older Serin made carry that ownerReference (and the
 * Istio ones no label); they are recognised by it until a reconcile replaces it with the label.
 */
public final class MadeFor {
    private MadeFor() {
    }

    /** The Canary an object was made for, by its label; null when none. */
    public static String canary(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? null : labels.get(Canary.CANARY_LABEL);
    }

    /** Made for this Canary: labelled for it, or owned by it as an older Serin did. */
    public static boolean canary(HasMetadata object, String canary) {
        return canary.equals(canary(object)) || hasLegacyOwner(object, canary);
    }

    /** Carries the ownerReference an older Serin set to the Canary of that name. */
    public static boolean hasLegacyOwner(HasMetadata object, String canary) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs != null && refs.stream().anyMatch(ref -> namesCanary(ref, canary));
    }

    /** The object's ownerReferences without the one to the Canary; null when none are left. */
    public static List<OwnerReference> withoutLegacyOwner(HasMetadata object, String canary) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        if (refs == null) {
            return null;
        }
        List<OwnerReference> kept = refs.stream().filter(ref -> !namesCanary(ref, canary)).toList();
        return kept.isEmpty() ? null : kept;
    }

    private static boolean namesCanary(OwnerReference ref, String canary) {
        return "Canary".equals(ref.getKind()) && ref.getApiVersion() != null
                && ref.getApiVersion().startsWith(Canary.GROUP + "/") && canary.equals(ref.getName());
    }
}
