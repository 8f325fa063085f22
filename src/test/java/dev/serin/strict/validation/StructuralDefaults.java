package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A structural schema's {@code default:} values filled in as kube-apiserver 1.32 does when it decodes a custom
 * resource (apiextensions-apiserver, schema/defaulting: PruneNonNullableNullsWithoutDefaults, then Default): a null
 * where the schema does not allow null and has no default is dropped; an absent property, or a null one where null is
 * not allowed, gets a deep copy of its default; defaults go inside array items and additionalProperties values, and
 * inside the defaults just filled in. Explicit nulls stay where the schema says {@code nullable: true}. Pure; works on
 * a copy.
 */
final class StructuralDefaults {
    private StructuralDefaults() {
    }

    /** Whether any {@code default:} is anywhere in the schema (no work to do otherwise). */
    static boolean hasDefaults(JsonNode schema) {
        return schema != null && schema.findValue("default") != null;
    }

    /** A copy of object, pruned of non-nullable nulls without a default and then defaulted. */
    static JsonNode apply(JsonNode object, JsonNode schema) {
        JsonNode copy = object.deepCopy();
        pruneNonNullableNullsWithoutDefaults(copy, schema);
        fill(copy, schema);
        return copy;
    }

    private static void pruneNonNullableNullsWithoutDefaults(JsonNode value, JsonNode schema) {
        if (value instanceof ObjectNode object) {
            for (String field : fieldNames(object)) {
                JsonNode fieldSchema = schemaForField(field, schema);
                JsonNode fieldValue = object.get(field);
                if (fieldValue.isNull() && fieldSchema != null && !nullable(fieldSchema) && !fieldSchema.has("default")) {
                    object.remove(field);
                } else {
                    pruneNonNullableNullsWithoutDefaults(fieldValue, fieldSchema);
                }
            }
        } else if (value instanceof ArrayNode array) {
            JsonNode items = schema == null ? null : schema.get("items");
            array.forEach(item -> pruneNonNullableNullsWithoutDefaults(item, items));
        }
    }

    private static void fill(JsonNode value, JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        if (value instanceof ObjectNode object) {
            JsonNode properties = schema.path("properties");
            properties.fields().forEachRemaining(property -> {
                JsonNode fallback = property.getValue().get("default");
                if (fallback == null) {
                    return;
                }
                JsonNode present = object.get(property.getKey());
                if (present == null || present.isNull() && !nullable(property.getValue())) {
                    object.set(property.getKey(), fallback.deepCopy());
                }
            });
            JsonNode additional = schema.get("additionalProperties");
            for (String field : fieldNames(object)) {
                if (properties.has(field)) {
                    fill(object.get(field), properties.get(field));
                } else if (additional != null && additional.isObject()) {
                    if (object.get(field).isNull() && !nullable(additional) && additional.has("default")) {
                        object.set(field, additional.get("default").deepCopy());
                    }
                    fill(object.get(field), additional);
                }
            }
        } else if (value instanceof ArrayNode array) {
            JsonNode items = schema.get("items");
            if (items == null || !items.isObject()) {
                return;
            }
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isNull() && !nullable(items) && items.has("default")) {
                    array.set(i, items.get("default").deepCopy());
                }
                fill(array.get(i), items);
            }
        }
    }

    private static JsonNode schemaForField(String field, JsonNode schema) {
        if (schema == null) {
            return null;
        }
        JsonNode property = schema.path("properties").get(field);
        if (property != null) {
            return property;
        }
        JsonNode additional = schema.get("additionalProperties");
        return additional != null && additional.isObject() ? additional : null;
    }

    private static boolean nullable(JsonNode schema) {
        return schema.path("nullable").asBoolean(false);
    }

    private static List<String> fieldNames(ObjectNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
