package dev.serin.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.ConditionTypes;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Arrays;
import java.util.Objects;

/**
 * Which Canary updates need a reconcile. A change to status alone is almost always the echo of Serin's own status
 * write: nothing to do for it. A new phase is the exception: Promoting and Aborted, written by the autopilot,
 * change what the reconciler does. So is, for an autopiloted Canary, whether the routes carry its weight: a step's
 * interval starts the moment they do.
 */
final class CanaryChanges {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private CanaryChanges() {
    }

    static boolean matter(Canary before, Canary after) {
        var a = before.getMetadata();
        var b = after.getMetadata();
        return !(Objects.equals(phase(before), phase(after))
                && (after.getSpec() == null || after.getSpec().autopilot == null
                        || Objects.equals(carried(before), carried(after)))
                && Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp())
                && Objects.equals(a.getFinalizers(), b.getFinalizers())
                && Objects.equals(a.getAnnotations(), b.getAnnotations())
                && Objects.equals(a.getLabels(), b.getLabels())
                && JSON.convertValue(before.getSpec(), JsonNode.class).equals(JSON.convertValue(after.getSpec(), JsonNode.class)));
    }

    /** status.weight and whether TrafficApplied is True: what the autopilot's step clock follows. */
    private static Object carried(Canary canary) {
        var s = canary.getStatus();
        return s == null ? null
                : Arrays.asList(s.weight, Conditions.isTrue(s.conditions, ConditionTypes.TRAFFIC_APPLIED));
    }

    private static Object phase(Canary canary) {
        return canary.getStatus() == null ? null : canary.getStatus().phase;
    }
}
