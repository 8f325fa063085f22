package dev.serin.rest;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Tester;
import dev.serin.rest.auth.Caller;
import dev.serin.rest.dto.CanarySummary;
import dev.serin.rest.problem.ProblemException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Sets spec.testers as {@link CanaryService#setWeight} sets spec.weight: one JSON merge patch carrying the
 * resourceVersion read (409: read again and retry), an audit line and an Event; the controller, the one writer of the
 * Canary's traffic, writes the tester routes.
 */
@ApplicationScoped
public class CanaryTesters {
    private static final Logger LOG = Logger.getLogger(CanaryTesters.class);
    private static final Logger AUDIT = Logger.getLogger(Audit.CATEGORY);

    private final KubernetesClient client;
    private final CanaryService canaries;
    private final CanaryEvents events;

    public CanaryTesters(KubernetesClient client, CanaryService canaries, CanaryEvents events) {
        this.client = client;
        this.canaries = canaries;
        this.events = events;
    }

    public CanarySummary set(String namespace, String name, List<Tester> testers, Caller caller) {
        for (int attempt = 1; ; attempt++) {
            Canary current = canaries.require(namespace, name);
            if (current.getMetadata().getDeletionTimestamp() != null) {
                throw ProblemException.conflict("Canary " + namespace + "/" + name + " is being stopped");
            }
            String old = describe(current.getSpec() == null ? null : current.getSpec().testers);
            Map<String, Object> spec = new HashMap<>();
            spec.put("testers", testers.isEmpty() ? null : testers); // null removes the field
            Map<String, Object> patch = Map.of(
                    "metadata", Map.of("resourceVersion", current.getMetadata().getResourceVersion()),
                    "spec", spec);
            try {
                Canary updated = client.resources(Canary.class).inNamespace(namespace).resource(current)
                        .patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(patch));
                AUDIT.infof("user=%s groups=%s action=set-testers canary=%s/%s testers=%s -> %s", caller.username(),
                        caller.groups(), namespace, name, old, describe(testers));
                events.record(updated, caller, "TestersSet", "SetTesters", "Testers set to " + describe(testers)
                        + " (was " + old + ") by " + caller.username());
                return canaries.summary(updated);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    throw ProblemException.notFound("Canary " + namespace + "/" + name + " does not exist");
                }
                if (e.getCode() != 409 || attempt >= CanaryService.MAX_ATTEMPTS) {
                    throw e;
                }
                LOG.debugf("Canary %s/%s changed while setting its testers; retrying", namespace, name);
            }
        }
    }

    /** The testers as people write them on the CLI: header x-canary=always, cookie canary=1; "none" for none. */
    public static String describe(List<Tester> testers) {
        if (testers == null || testers.isEmpty()) {
            return "none";
        }
        return String.join(", ", testers.stream().map(t -> t.header != null
                ? "header " + t.header.name + (Boolean.TRUE.equals(t.header.regex) ? "~" : "=") + t.header.value
                : "cookie " + t.cookie.name + "=" + t.cookie.value).toList());
    }
}
