package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns JSON into the values CEL rules see, typed as Kubernetes types them from the schema: {@code number} fields are
 * doubles even when written as {@code 5}, {@code integer} fields are ints, objects are maps holding only the fields the
 * schema knows (the real server prunes the rest before validating).
 */
final class CelValues {
    private CelValues() {
    }

    static Object of(JsonNode value, JsonNode schema) {
        if (value == null || value.isNull()) {
            return NullValue.NULL_VALUE;
        }
        if (schema == null || schema.isMissingNode()) {
            return untyped(value);
        }
        String type = schema.path("type").asText("");
        if (type.equals("number") && value.isNumber()) {
            return value.doubleValue();
        }
        if (type.equals("integer") && value.isNumber()) {
            return value.isIntegralNumber() || value.doubleValue() == Math.rint(value.doubleValue())
                    ? (Object) value.longValue() : value.doubleValue();
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>(value.size());
            value.forEach(item -> list.add(of(item, schema.get("items"))));
            return Collections.unmodifiableList(list);
        }
        if (value.isObject()) {
            return object(value, schema);
        }
        return untyped(value);
    }

    private static Object object(JsonNode value, JsonNode schema) {
        JsonNode properties = schema.get("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean keepUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        Map<String, Object> map = new LinkedHashMap<>();
        value.fields().forEachRemaining(field -> {
            JsonNode fieldSchema = properties == null ? null : properties.get(field.getKey());
            if (fieldSchema != null) {
                map.put(field.getKey(), of(field.getValue(), fieldSchema));
            } else if (additional != null && additional.isObject()) {
                map.put(field.getKey(), of(field.getValue(), additional));
            } else if (keepUnknown || properties == null) {
                map.put(field.getKey(), untyped(field.getValue()));
            }
        });
        return Collections.unmodifiableMap(map);
    }

    private static Object untyped(JsonNode value) {
        if (value.isNull()) {
            return NullValue.NULL_VALUE;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isIntegralNumber()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>(value.size());
            value.forEach(item -> list.add(untyped(item)));
            return Collections.unmodifiableList(list);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        value.fields().forEachRemaining(field -> map.put(field.getKey(), untyped(field.getValue())));
        return Collections.unmodifiableMap(map);
    }
}
