package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks kube-apiserver makes on an apps/v1 Deployment's spec (ValidateDeploymentSpec and the pod template parts
 * Serin's objects touch): a non-empty selector with valid labels, that selects the template's labels; non-negative
 * replicas; containers with a valid, unique name and an image; restartPolicy Always.
 */
final class DeploymentRules {
    private DeploymentRules() {
    }

    static List<FieldError> validate(JsonNode deployment) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = deployment.path("spec");
        JsonNode replicas = spec.get("replicas");
        if (replicas != null && replicas.isNumber() && replicas.asLong() < 0) {
            errors.add(FieldError.invalid("spec.replicas", replicas.asLong(), "must be greater than or equal to 0"));
        }
        JsonNode selector = spec.get("selector");
        JsonNode template = spec.path("template");
        JsonNode templateLabels = template.path("metadata").get("labels");
        if (selector == null || selector.isNull()) {
            errors.add(FieldError.required("spec.selector", ""));
        } else {
            errors.addAll(ObjectMetaRules.labels(selector.get("matchLabels"), "spec.selector.matchLabels"));
            errors.addAll(LabelSelectors.validateExpressions(selector.path("matchExpressions"),
                    "spec.selector.matchExpressions"));
            if (selector.path("matchLabels").size() + selector.path("matchExpressions").size() == 0) {
                errors.add(FieldError.invalid("spec.selector", LabelSelectors.EMPTY,
                        "empty selector is invalid for deployment"));
            } else if (!LabelSelectors.matches(selector, templateLabels)) {
                errors.add(FieldError.invalid("spec.template.metadata.labels", stringMap(templateLabels),
                        "`selector` does not match template `labels`"));
            }
        }
        errors.addAll(ObjectMetaRules.labels(templateLabels, "spec.template.metadata.labels"));
        errors.addAll(ObjectMetaRules.annotations(template.path("metadata").get("annotations"),
                "spec.template.metadata.annotations"));
        errors.addAll(containers(template.path("spec")));
        String restartPolicy = template.path("spec").path("restartPolicy").asText("Always");
        if (!restartPolicy.equals("Always")) {
            errors.add(FieldError.notSupported("spec.template.spec.restartPolicy", restartPolicy, List.of("Always")));
        }
        return errors;
    }

    private static List<FieldError> containers(JsonNode podSpec) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode containers = podSpec.path("containers");
        if (containers.size() == 0) {
            errors.add(FieldError.required("spec.template.spec.containers", ""));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            String path = "spec.template.spec.containers[" + i + "]";
            String name = containers.get(i).path("name").asText("");
            if (name.isEmpty()) {
                errors.add(FieldError.required(path + ".name", ""));
            } else {
                KubernetesNames.dns1123Label(name).forEach(msg -> errors.add(FieldError.invalid(path + ".name", name, msg)));
                if (!names.add(name)) {
                    errors.add(FieldError.duplicate(path + ".name", name));
                }
            }
            if (containers.get(i).path("image").asText("").isBlank()) {
                errors.add(FieldError.required(path + ".image", ""));
            }
        }
        return errors;
    }

    /** The labels as Go prints a map[string]string with %#v; a missing map prints as nil. */
    private static Object stringMap(JsonNode labels) {
        if (labels == null || !labels.isObject()) {
            return new GoValues.Literal("map[string]string(nil)");
        }
        Map<String, String> map = new LinkedHashMap<>();
        labels.fields().forEachRemaining(label -> map.put(label.getKey(), label.getValue().asText()));
        return map;
    }
}
