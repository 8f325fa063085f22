package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import io.fabric8.kubernetes.api.model.HasMetadata;

/** Work-queue keys: {@code namespace/name}. */
final class CanaryKeys {
    private CanaryKeys() {
    }

    static String of(HasMetadata resource) {
        return resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    }

    static String namespace(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    static String name(String key) {
        return key.substring(key.indexOf('/') + 1);
    }

    static boolean hasFinalizer(Canary canary) {
        return canary.getMetadata().getFinalizers() != null
                && canary.getMetadata().getFinalizers().contains(Canary.FINALIZER);
    }
}
