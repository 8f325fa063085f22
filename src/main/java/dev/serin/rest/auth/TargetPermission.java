package dev.serin.rest.auth;

import dev.serin.rest.problem.Problem;
import dev.serin.rest.problem.ProblemException;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A canary with containers runs any image with the target Deployment's ServiceAccount, volumes and secrets, and promote
 * rewrites the target: through REST both need a caller who may {@code update} the target Deployment themselves. Asked
 * with a SubjectAccessReview for apps/deployments update on that name, never cached; with serin.api.auth=none nothing
 * is checked.
 */
@ApplicationScoped
public class TargetPermission {
    private static final Logger LOG = Logger.getLogger(TargetPermission.class);

    private final KubernetesClient client;
    private final AuthMode mode;

    public TargetPermission(KubernetesClient client,
            @ConfigProperty(name = "serin.api.auth", defaultValue = "kubernetes") AuthMode mode) {
        this.client = client;
        this.mode = mode;
    }

    /**
     * Returns when the caller may update Deployment {@code name} in {@code namespace}; otherwise throws a 403 problem
     * naming the missing permission (503 when the API server cannot be asked).
     *
     * @param what what needs it, e.g. "Starting a canary with containers"
     */
    public void requireUpdate(Caller caller, String namespace, String name, String what) {
        if (mode == AuthMode.none) {
            return;
        }
        SubjectAccessReview review = AccessReviews.of(caller, new ResourceAttributesBuilder().withGroup("apps")
                .withResource("deployments").withVerb("update").withNamespace(namespace).withName(name).build());
        SubjectAccessReview answer;
        try {
            answer = client.authorization().v1().subjectAccessReview().create(review);
        } catch (RuntimeException e) {
            LOG.warnf("Cannot review update on Deployment %s/%s: %s", namespace, name, e.getMessage());
            throw new ProblemException(Problem.of(503, "auth-unavailable", "Authorisation unavailable",
                    "The Kubernetes API server could not review the request; try again"));
        }
        boolean allowed = answer != null && answer.getStatus() != null
                && Boolean.TRUE.equals(answer.getStatus().getAllowed())
                && !Boolean.TRUE.equals(answer.getStatus().getDenied());
        if (!allowed) {
            throw new ProblemException(Problem.of(403, "forbidden", "Forbidden", what + " needs update on "
                    + "deployments.apps " + name + " in namespace " + namespace + ", which user " + caller.username()
                    + " does not have"));
        }
    }
}
