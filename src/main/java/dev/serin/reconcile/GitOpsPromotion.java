package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.ContainerPatch;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;

/** Promote of a target a GitOps tool manages: Serin names the images for git and waits for the sync to bring them. */
final class GitOpsPromotion {
    static final String CONDITION = "Promoted";

    private GitOpsPromotion() {
    }

    /** The target's pod template runs every image the canary sets. */
    static boolean carriesImages(Canary canary, Deployment target) {
        List<Container> containers = target.getSpec().getTemplate().getSpec().getContainers();
        for (ContainerPatch patch : patches(canary)) {
            if (patch.image != null && !patch.image.isBlank() && containers.stream()
                    .noneMatch(c -> c.getName().equals(patch.name) && patch.image.equals(c.getImage()))) {
                return false;
            }
        }
        return true;
    }

    static Condition waiting(Canary canary, String target, String tool) {
        List<String> images = new ArrayList<>();
        for (ContainerPatch patch : patches(canary)) {
            if (patch.image != null && !patch.image.isBlank()) {
                images.add("container " + patch.name + ": " + patch.image);
            }
        }
        return Conditions.of(CONDITION, false, "WaitingForGit", "Deployment " + target + " is managed by " + tool
                + ": put " + String.join(", ", images) + " in git; the canary keeps serving until it is synced");
    }

    private static List<ContainerPatch> patches(Canary canary) {
        return canary.getSpec().canary == null || canary.getSpec().canary.containers == null ? List.of()
                : canary.getSpec().canary.containers;
    }
}
