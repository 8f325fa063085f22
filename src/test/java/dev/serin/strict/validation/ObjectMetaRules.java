package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What kube-apiserver checks on every object's metadata whatever its schema (ValidateObjectMeta): the name's format for
 * the kind, generateName, namespace, label keys and values, annotation keys and total size, finalizer names; and the
 * checks of the object itself for apps/v1 Deployments ({@link DeploymentRules}), core/v1 Events
 * ({@link EventRules}) and Services ({@link ServiceRules}), discovery.k8s.io/v1 EndpointSlices
 * ({@link EndpointSliceRules}). Pure functions.
 */
public final class ObjectMetaRules {
    /** The real server's limit on all annotations of one object together, keys and values, in bytes. */
    static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

    private ObjectMetaRules() {
    }

    /** The errors of metadata.name for an object of that kind: DNS label for Namespaces, DNS-1035 for Services. */
    public static List<FieldError> name(String kind, String name) {
        if (name == null || name.isEmpty()) {
            return List.of(FieldError.required("metadata.name", "name or generateName is required"));
        }
        return nameFormat(kind).apply(name).stream()
                .map(msg -> FieldError.invalid("metadata.name", name, msg)).toList();
    }

    /** Label keys and values (errors carry the map's own path, as the real server's do). */
    public static List<FieldError> labels(JsonNode labels, String field) {
        List<FieldError> errors = new ArrayList<>();
        if (labels == null || !labels.isObject()) {
            return errors;
        }
        labels.fields().forEachRemaining(label -> {
            KubernetesNames.qualifiedName(label.getKey()).forEach(msg -> errors.add(
                    FieldError.invalid(field, label.getKey(), msg)));
            String value = label.getValue().asText();
            KubernetesNames.labelValue(value).forEach(msg -> errors.add(FieldError.invalid(field, value, msg)));
        });
        return errors;
    }

    /** Annotation keys (checked lowercased, as the real server does) and their total size. */
    public static List<FieldError> annotations(JsonNode annotations, String field) {
        List<FieldError> errors = new ArrayList<>();
        if (annotations == null || !annotations.isObject()) {
            return errors;
        }
        long[] total = {0};
        annotations.fields().forEachRemaining(annotation -> {
            KubernetesNames.qualifiedName(annotation.getKey().toLowerCase()).forEach(msg -> errors.add(
                    FieldError.invalid(field, annotation.getKey(), msg)));
            total[0] += KubernetesNames.bytes(annotation.getKey()) + KubernetesNames.bytes(annotation.getValue().asText());
        });
        if (total[0] > TOTAL_ANNOTATION_SIZE_LIMIT) {
            errors.add(new FieldError(field, FieldError.TOO_LONG,
                    "Too long: must have at most " + TOTAL_ANNOTATION_SIZE_LIMIT + " bytes"));
        }
        return errors;
    }

    /** Every metadata check for an object of any kind, plus the Deployment checks for apps Deployments. */
    public static List<FieldError> validateObject(String group, String kind, JsonNode object) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode metadata = object.path("metadata");
        String generateName = metadata.path("generateName").asText("");
        if (!generateName.isEmpty()) {
            // a generated name appends random characters, so a trailing '-' is fine
            String masked = generateName.endsWith("-") ? generateName.substring(0, generateName.length() - 1) + "a"
                    : generateName;
            nameFormat(kind).apply(masked).forEach(msg -> errors.add(
                    FieldError.invalid("metadata.generateName", generateName, msg)));
        }
        String name = metadata.path("name").asText("");
        if (!name.isEmpty() || generateName.isEmpty()) {
            errors.addAll(name(kind, name));
        }
        String namespace = metadata.path("namespace").asText("");
        if (!namespace.isEmpty()) {
            KubernetesNames.dns1123Label(namespace).forEach(msg -> errors.add(
                    FieldError.invalid("metadata.namespace", namespace, msg)));
        }
        errors.addAll(labels(metadata.get("labels"), "metadata.labels"));
        errors.addAll(annotations(metadata.get("annotations"), "metadata.annotations"));
        metadata.path("finalizers").forEach(finalizer -> KubernetesNames.qualifiedName(finalizer.asText()).forEach(
                msg -> errors.add(FieldError.invalid("metadata.finalizers", finalizer.asText(), msg))));
        if ("apps".equals(group) && "Deployment".equals(kind)) {
            errors.addAll(DeploymentRules.validate(object));
        }
        if ("".equals(group) && "Event".equals(kind)) {
            errors.addAll(EventRules.validate(object));
        }
        if ("".equals(group) && "Service".equals(kind)) {
            errors.addAll(ServiceRules.validate(object));
        }
        if ("discovery.k8s.io".equals(group) && "EndpointSlice".equals(kind)) {
            errors.addAll(EndpointSliceRules.validate(object));
        }
        return errors;
    }

    private static Function<String, List<String>> nameFormat(String kind) {
        return switch (kind) {
            case "Namespace" -> KubernetesNames::dns1123Label;
            case "Service" -> KubernetesNames::dns1035Label;
            default -> KubernetesNames::dns1123Subdomain;
        };
    }
}
