package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What kube-apiserver checks on a core/v1 Event it creates or updates (pkg/apis/core/validation/events.go,
 * {@code legacyValidateEvent}; core/v1 requests get no further check). An Event without eventTime must name the
 * namespace it is in; one with eventTime (a "new" Event) must also carry reportingComponent (a qualified name),
 * reportingInstance, action and reason of at most 128 bytes each, and a message of at most 1024 bytes.
 */
final class EventRules {
    static final int REPORTING_INSTANCE_LENGTH_LIMIT = 128;
    static final int ACTION_LENGTH_LIMIT = 128;
    static final int REASON_LENGTH_LIMIT = 128;
    static final int NOTE_LENGTH_LIMIT = 1024;

    private EventRules() {
    }

    static List<FieldError> validate(JsonNode event) {
        List<FieldError> errors = new ArrayList<>();
        String namespace = event.path("metadata").path("namespace").asText("");
        String involvedNamespace = event.path("involvedObject").path("namespace").asText("");
        JsonNode eventTime = event.get("eventTime");
        if (eventTime == null || eventTime.isNull()) {
            boolean matches = involvedNamespace.isEmpty() ? namespace.isEmpty() || namespace.equals("default")
                    : namespace.equals(involvedNamespace);
            if (!matches) {
                errors.add(FieldError.invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace"));
            }
        } else {
            if (involvedNamespace.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")) {
                errors.add(FieldError.invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace"));
            }
            // core/v1 spells ReportingController "reportingComponent" in JSON; the error names the Go field
            String controller = event.path("reportingComponent").asText("");
            if (controller.isEmpty()) {
                errors.add(FieldError.required("reportingController", ""));
            }
            KubernetesNames.qualifiedName(controller).forEach(msg -> errors.add(
                    FieldError.invalid("reportingController", controller, msg)));
            limited(errors, event, "reportingInstance", REPORTING_INSTANCE_LENGTH_LIMIT, true);
            limited(errors, event, "action", ACTION_LENGTH_LIMIT, true);
            limited(errors, event, "reason", REASON_LENGTH_LIMIT, true);
            limited(errors, event, "message", NOTE_LENGTH_LIMIT, false);
        }
        KubernetesNames.dns1123Subdomain(namespace).forEach(msg -> errors.add(FieldError.invalid("namespace", namespace, msg)));
        return errors;
    }

    private static void limited(List<FieldError> errors, JsonNode event, String field, int limit, boolean required) {
        String value = event.path(field).asText("");
        if (required && value.isEmpty()) {
            errors.add(FieldError.required(field, ""));
        }
        if (KubernetesNames.bytes(value) > limit) {
            errors.add(FieldError.invalid(field, "", "can have at most " + limit + " characters"));
        }
    }
}
