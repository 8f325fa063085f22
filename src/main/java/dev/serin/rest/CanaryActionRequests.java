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
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Pause, resume, abort or promote by REST: a merge patch of the Canary only — spec.paused, and the
 * {@code serin.dev/action} annotation the controller carries out ({@link CanaryActions}).
 *
 * <p>Resume, abort and promote share that one annotation, so each patch carries the resourceVersion it was decided on
 * (409 from the API server: read again and decide again, as a weight change does), and a request that would
 * overwrite another action still pending is answered 409: every request answered 200 is one the controller sees.
 * Promote is answered 409 too when {@link PromoteGate} refuses the Canary as its status stands.
 */
@ApplicationScoped
public class CanaryActionRequests {
    private static final Logger LOG = Logger.getLogger(CanaryActionRequests.class);

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
        for (int attempt = 1; ; attempt++) {
            Canary current = canaries.require(namespace, name);
            check(current, action, caller);
            try {
                Canary updated = client.resources(Canary.class).inNamespace(namespace).resource(current) // no GET first
                        .patch(PatchContext.of(PatchType.JSON_MERGE),
                                client.getKubernetesSerialization().asJson(patch(current, action)));
                recorded(current, updated, action, caller);
                return canaries.summary(updated);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    throw ProblemException.notFound("Canary " + namespace + "/" + name + " does not exist");
                }
                if (e.getCode() != 409 || attempt >= CanaryService.MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debugf("Canary %s/%s changed while requesting %s; reading it again", namespace, name, action);
            }
        }
    }

    /** Everything that refuses the request, on the Canary as read; throws before anything is written. */
    private void check(Canary current, String action, Caller caller) {
        String id = current.getMetadata().getNamespace() + "/" + current.getMetadata().getName();
        if (current.getMetadata().getDeletionTimestamp() != null) {
            throw ProblemException.conflict("Canary " + id + " is being stopped");
        }
        if ("promote".equals(action)) { // promote rewrites the target Deployment: only for who may do that themselves
            String target = current.getSpec() == null || current.getSpec().targetRef == null ? null
                    : current.getSpec().targetRef.name;
            targetPermission.requireUpdate(caller, current.getMetadata().getNamespace(),
                    target == null ? current.getMetadata().getName() : target, "Promoting a canary");
        }
        String pending = CanaryActions.requested(current);
        if (usesAnnotation(action) && pending != null && !pending.equals(action)) {
            throw new ProblemException(Problem.of(409, "action-pending", "Another action is pending",
                    pending + " was requested on Canary " + id + " and Serin has not carried it out yet; " + action
                            + " would replace it. Ask again once " + CanaryActions.ANNOTATION + " is gone"));
        }
        if ("promote".equals(action)) {
            PromoteGate.ofStatus(current).ifPresent(refused -> {
                throw new ProblemException(Problem.of(409, "not-promotable", "Not promotable",
                        "Canary " + id + " cannot be promoted: " + refused.describe()));
            });
        }
    }

    private static boolean usesAnnotation(String action) {
        return !"pause".equals(action);
    }

    private static Map<String, Object> patch(Canary current, String action) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resourceVersion", current.getMetadata().getResourceVersion());
        if (usesAnnotation(action)) {
            metadata.put("annotations", Map.of(CanaryActions.ANNOTATION, action));
        }
        Map<String, Object> patch = new LinkedHashMap<>();
        patch.put("metadata", metadata);
        switch (action) {
            case "pause" -> patch.put("spec", Map.of("paused", true));
            case "resume" -> patch.put("spec", Map.of("paused", false));
            default -> {
            }
        }
        return patch;
    }

    private void recorded(Canary current, Canary updated, String action, Caller caller) {
        String namespace = current.getMetadata().getNamespace();
        String name = current.getMetadata().getName();
        String weightNow = CanaryService.format(current.getSpec() == null ? null : current.getSpec().weight);
        audit.requested(caller, namespace, name, action, weightNow);
        String verb = Character.toUpperCase(action.charAt(0)) + action.substring(1);
        events.record(updated, caller, verb + "Requested", verb, verb + " requested by " + caller.username()
                + " at weight " + weightNow + (weightNow.equals("none") ? "" : "%"));
    }
}
