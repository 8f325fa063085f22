package dev.serin.rest.problem;

import dev.serin.reconcile.ApiErrors;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;

/** What the caller is told when the Kubernetes API server refuses a request Serin made for them. Pure. */
public final class KubernetesProblems {
    private KubernetesProblems() {
    }

    public static Problem of(KubernetesClientException e) {
        int code = e.getCode();
        if (code == 409) {
            return Problem.of(409, "conflict", "Conflict", "The Canary was changed concurrently; retry");
        }
        String message = ApiErrors.message(e);
        Optional<ForbiddenMessage> denial = code == 403 ? ForbiddenMessage.parse(message) : Optional.empty();
        if (denial.isPresent()) {
            // Serin calls the API server as itself, never as the caller: a denial is its installation's RBAC
            return Problem.of(500, "serin-forbidden", "Serin lacks a permission", "Serin's service account ("
                    + denial.get().user() + ") may not " + denial.get().describe() + ". This is a problem of Serin's"
                    + " installation (its RBAC), not of your request: ask the cluster operator to grant it. The"
                    + " Kubernetes API server said: " + message);
        }
        if (code == 422) {
            return Problem.of(422, "kubernetes-invalid", "Refused as invalid by the Kubernetes API server", message)
                    .withErrors(causes(e.getStatus()));
        }
        return Problem.of(502, "kubernetes-api", "Kubernetes API error",
                "The Kubernetes API server answered " + (code == 0 ? "nothing" : code));
    }

    private static List<Problem.FieldError> causes(Status status) {
        if (status == null || status.getDetails() == null || status.getDetails().getCauses() == null) {
            return List.of();
        }
        return status.getDetails().getCauses().stream()
                .map(c -> new Problem.FieldError(c.getField(), c.getMessage()))
                .toList();
    }
}
