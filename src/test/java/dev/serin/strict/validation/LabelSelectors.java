package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** metav1.LabelSelector: its requirements' rules, and whether it selects a set of labels. */
final class LabelSelectors {
    /** An empty selector as Go prints a metav1.LabelSelector with %#v. */
    static final GoValues.Literal EMPTY = new GoValues.Literal("v1.LabelSelector{MatchLabels:map[string]string(nil),"
            + " MatchExpressions:[]v1.LabelSelectorRequirement(nil)}");
    private LabelSelectors() {
    }

    static List<FieldError> validateExpressions(JsonNode expressions, String field) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < expressions.size(); i++) {
            JsonNode requirement = expressions.get(i);
            String path = field + "[" + i + "]";
            String operator = requirement.path("operator").asText("");
            int values = requirement.path("values").size();
            switch (operator) {
                case "In", "NotIn" -> {
                    if (values == 0) {
                        errors.add(FieldError.required(path + ".values",
                                "must be specified when `operator` is 'In' or 'NotIn'"));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (values > 0) {
                        errors.add(FieldError.forbidden(path + ".values",
                                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }
                }
                default -> errors.add(FieldError.invalid(path + ".operator", operator, "not a valid selector operator"));
            }
            String key = requirement.path("key").asText("");
            KubernetesNames.qualifiedName(key).forEach(msg -> errors.add(FieldError.invalid(path + ".key", key, msg)));
        }
        return errors;
    }

    /** Whether every matchLabels entry and every matchExpressions requirement holds for the labels. */
    static boolean matches(JsonNode selector, JsonNode labels) {
        JsonNode actual = labels == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : labels;
        var matchLabels = selector.path("matchLabels").fields();
        while (matchLabels.hasNext()) {
            var entry = matchLabels.next();
            if (!entry.getValue().asText().equals(actual.path(entry.getKey()).asText(null))) {
                return false;
            }
        }
        for (JsonNode requirement : selector.path("matchExpressions")) {
            String value = actual.path(requirement.path("key").asText()).asText(null);
            boolean listed = false;
            for (JsonNode v : requirement.path("values")) {
                listed |= v.asText().equals(value);
            }
            boolean holds = switch (requirement.path("operator").asText()) {
                case "In" -> value != null && listed;
                case "NotIn" -> value == null || !listed;
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> false;
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }
}
