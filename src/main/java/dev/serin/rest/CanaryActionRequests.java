package dev.serin.rest;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.autopilot.CanaryActions;
import dev.serin.reconcile.PromoteGate;
import dev.serin.rest.auth.Caller;
import dev.serin.rest.auth.TargetPermission;
import dev.serin.rest.dto.CanarySummary;
import dev.serin.rest.problem.Problem;
import dev.serin.rest.problem.ProblemException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * Pause, resume, abort or promote by REST: a merge patch of the Canary only — spec.paused, and the
 * {@code serin.dev/action} annotation the controller carries out ({@link CanaryActions}). Promote is answered 409
 * when {@link PromoteGate} refuses the Canary as its status stands.
 */
@ApplicationScoped
public class CanaryActionRequests {
    private final KubernetesClient client;
    private final CanaryService canaries;
    private final Audit audit;
    private final CanaryEvents events;
    private final TargetPermission targetPermission;

    public CanaryActionRequests(KubernetesClient client, CanaryService canaries, Audit audit, CanaryEvents events,
            TargetPermission targetPermission) {
        this.client = client;
        this.canaries = canaries;
        this.audit = audit;
        this.events = events;
        this.targetPermission = targetPermission;
    }

    public CanarySummary request(String namespace, String name, String action, Caller caller) {
        Canary current = canaries.require(namespace, name);
        if (current.getMetadata().getDeletionTimestamp() != null) {
            throw ProblemException.conflict("Canary " + namespace + "/" + name + " is being stopped");
        }
        if ("promote".equals(action)) { // promote rewrites the target Deployment: only for who may do that themselves
            String target = current.getSpec() == null || current.getSpec().targetRef == null ? null
                    : current.getSpec().targetRef.name;
            targetPermission.requireUpdate(caller, namespace, target == null ? name : target, "Promoting a canary");
            PromoteGate.ofStatus(current).ifPresent(refused -> {
                throw new ProblemException(Problem.of(409, "not-promotable", "Not promotable",
                        "Canary " + namespace + "/" + name + " cannot be promoted: " + refused.describe()));
            });
        }
        Map<String, Object> patch = switch (action) {
            case "pause" -> Map.of("spec", Map.of("paused", true));
            case "resume" -> Map.of("spec", Map.of("paused", false),
                    "metadata", Map.of("annotations", Map.of(CanaryActions.ANNOTATION, action)));
            default -> Map.of("metadata", Map.of("annotations", Map.of(CanaryActions.ANNOTATION, action)));
        };
        Canary updated = client.resources(Canary.class).inNamespace(namespace).resource(current)
                .patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(patch));
        String weightNow = CanaryService.format(current.getSpec() == null ? null : current.getSpec().weight);
        audit.requested(caller, namespace, name, action, weightNow);
        String verb = Character.toUpperCase(action.charAt(0)) + action.substring(1);
        events.record(updated, caller, verb + "Requested", verb, verb + " requested by " + caller.username()
                + " at weight " + weightNow + (weightNow.equals("none") ? "" : "%"));
        return canaries.summary(updated);
    }
}
