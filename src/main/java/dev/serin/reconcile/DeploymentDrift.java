package dev.serin.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What was changed outside Serin on a canary Deployment whose spec hash is still Serin's: its replicas, a pause, or
 * any field of the pod template that Serin set. Fields the API server adds by defaulting (and any other field Serin
 * does not set) are not compared, so a defaulting API server causes no write.
 */
final class DeploymentDrift {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private DeploymentDrift() {
    }

    /** What differs from {@code desired}, as people would say it; empty when the live Deployment has it all. */
    static Optional<String> of(Deployment live, Deployment desired) {
        if (!Objects.equals(live.getSpec().getReplicas(), desired.getSpec().getReplicas())) {
            return Optional.of("replicas " + live.getSpec().getReplicas() + " instead of " + desired.getSpec().getReplicas());
        }
        if (Boolean.TRUE.equals(live.getSpec().getPaused())) {
            return Optional.of("rollout paused");
        }
        JsonNode want = JSON.convertValue(desired.getSpec().getTemplate(), JsonNode.class);
        JsonNode have = JSON.convertValue(live.getSpec().getTemplate(), JsonNode.class);
        return contains(have, want) ? Optional.empty() : Optional.of("pod template edited");
    }

    /** Every field of {@code want} is in {@code have} with the same value; lists match element by element. */
    static boolean contains(JsonNode have, JsonNode want) {
        if (want == null || want.isNull()) {
            return true;
        }
        if (want.isObject()) {
            if (have == null || have.isNull() || have.isMissingNode()) {
                return want.isEmpty(); // {} and absent are the same to the API server
            }
            if (!have.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!contains(have.get(field.getKey()), field.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (want.isArray()) {
            if (have == null || have.isNull() || have.isMissingNode()) {
                return want.isEmpty();
            }
            if (!have.isArray() || have.size() != want.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                if (!contains(have.get(i), want.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return have != null && (want.equals(have) || want.asText().equals(have.asText()) && have.isValueNode());
    }
}
