package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * networknt's errors in the words of kube-apiserver, which reports its OpenAPI validator's errors as field errors:
 * {@code spec.weight: Invalid value: 101: spec.weight in body should be less than or equal to 100},
 * {@code spec.targetRef: Required value}, {@code Unsupported value: "X": supported values: "Hold", "Promote"}.
 */
final class SchemaErrors {
    private static final Set<String> ALTERNATIVES = Set.of("oneOf", "anyOf", "not");

    private SchemaErrors() {
    }

    /** An error from inside oneOf/anyOf/not: the real server reports only the alternative that failed as a whole. */
    static boolean isInsideAlternative(Error error) {
        NodePath evaluation = error.getEvaluationPath();
        for (int i = 0; i < evaluation.getNameCount() - 1; i++) {
            boolean propertyName = i > 0 && "properties".equals(evaluation.getName(i - 1));
            if (!propertyName && ALTERNATIVES.contains(evaluation.getName(i))) {
                return true;
            }
        }
        return false;
    }

    /** The field error for one of networknt's errors; rootSchema is the schema it validated against. */
    static FieldError toFieldError(Error error, JsonNode rootSchema) {
        JsonNode parent = keywordParent(error, rootSchema);
        String name = name(error.getInstanceLocation());
        JsonNode value = error.getInstanceNode();
        JsonNode keywordValue = error.getSchemaNode();
        String in = name + " in body";
        return switch (error.getKeyword()) {
            case "required" -> FieldError.required(FieldPaths.child(name, error.getProperty()), "");
            case "type" -> FieldError.typeInvalid(name, dataType(value),
                    in + " must be of type " + expectedTypes(keywordValue) + ": " + GoValues.quote(dataType(value)));
            case "format" -> FieldError.typeInvalid(name, value,
                    in + " must be of type " + keywordValue.asText() + ": " + GoValues.format(value));
            case "enum" -> FieldError.notSupported(name, value, enumValues(keywordValue));
            case "maxLength" -> FieldError.tooLong(name, keywordValue.asInt());
            case "minLength" -> FieldError.invalid(name, value,
                    in + " should be at least " + keywordValue.asInt() + " chars long");
            case "pattern" -> FieldError.invalid(name, value, in + " should match '" + keywordValue.asText() + "'");
            case "maximum", "exclusiveMaximum" -> FieldError.invalid(name, value, in + " should be less than "
                    + (exclusive(error, parent, "exclusiveMaximum") ? "" : "or equal to ") + bound(error, parent, "maximum"));
            case "minimum", "exclusiveMinimum" -> FieldError.invalid(name, value, in + " should be greater than "
                    + (exclusive(error, parent, "exclusiveMinimum") ? "" : "or equal to ") + bound(error, parent, "minimum"));
            case "multipleOf" -> FieldError.invalid(name, value,
                    in + " should be a multiple of " + GoValues.number(keywordValue.asDouble()));
            case "maxItems", "maxProperties" -> FieldError.tooMany(name, value.size(), keywordValue.asLong());
            case "minItems" -> FieldError.invalid(name, value.size(),
                    in + " should have at least " + keywordValue.asLong() + " items");
            case "minProperties" -> FieldError.invalid(name, value.size(),
                    in + " should have at least " + keywordValue.asLong() + " properties");
            case "uniqueItems" -> FieldError.invalid(name, "", in + " shouldn't contain duplicates");
            case "oneOf" -> alternative(name + " must validate one and only one schema (oneOf). "
                    + oneOfCount(error));
            case "anyOf" -> alternative(name + " must validate at least one schema (anyOf)");
            case "not" -> alternative(name + " must not validate the schema (not)");
            default -> FieldError.invalid(name, value, in + " " + error.getMessage());
        };
    }

    /** The real server reports a failed oneOf/anyOf/not as a plain error without a field path. */
    private static FieldError alternative(String message) {
        return FieldError.invalid(FieldPaths.ROOT, "", message);
    }

    /** kube-openapi's name for a value: properties and map keys joined by dots, list items as [i]. */
    static String name(NodePath location) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                out.append(out.length() == 0 ? "" : ".").append(element);
            }
        }
        return out.toString();
    }

    /** The JSON type of a value as the real server names it in type errors. */
    private static String dataType(JsonNode value) {
        if (value == null || value.isNull()) {
            return "null";
        }
        if (value.isTextual()) {
            return "string";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        return value.isNumber() ? "number" : value.isBoolean() ? "boolean" : value.isArray() ? "array" : "object";
    }

    private static String expectedTypes(JsonNode type) {
        if (!type.isArray()) {
            return type.asText();
        }
        List<String> names = new ArrayList<>();
        type.forEach(t -> names.add(t.asText()));
        return String.join(",", names);
    }

    private static List<String> enumValues(JsonNode values) {
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.isTextual() ? v.textValue() : v.toString()));
        return out;
    }

    /** OpenAPI 3.0's exclusiveMaximum/exclusiveMinimum are booleans beside maximum/minimum. */
    private static boolean exclusive(Error error, JsonNode parent, String keyword) {
        return parent.path(keyword).asBoolean(false) || (error.getKeyword().equals(keyword) && !parent.has(keyword));
    }

    private static String bound(Error error, JsonNode parent, String keyword) {
        JsonNode bound = parent.has(keyword) ? parent.get(keyword) : error.getSchemaNode();
        return GoValues.number(bound.asDouble());
    }

    /** The schema object holding the failed keyword, found by its location in the schema document. */
    private static JsonNode keywordParent(Error error, JsonNode rootSchema) {
        NodePath fragment = error.getSchemaLocation().getFragment();
        JsonNode node = rootSchema;
        for (int i = 0; i < fragment.getNameCount() - 1; i++) {
            Object element = fragment.getElement(i);
            node = element instanceof Integer index ? node.path(index) : node.path(String.valueOf(element));
        }
        return node;
    }

    private static String oneOfCount(Error error) {
        Object[] args = error.getArguments();
        int valid = args != null && args.length > 0 && args[0] instanceof Number n ? n.intValue() : 0;
        return valid == 0 ? "Found none valid" : "Found " + valid + " valid alternatives";
    }
}
