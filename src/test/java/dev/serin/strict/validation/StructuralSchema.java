package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A CRD version's openAPIV3Schema compiled once for networknt's JSON Schema validator, made to judge as kube-apiserver
 * does: OpenAPI 3.0 keywords with {@code nullable}, {@code x-kubernetes-int-or-string} as "integer or string",
 * Kubernetes' {@code x-kubernetes-*} extensions known and inert, 12.0 accepted as an integer, and only the string formats
 * Kubernetes checks. Errors come out as Kubernetes field errors ({@link SchemaErrors}).
 */
final class StructuralSchema {
    /** The formats kube-apiserver validates that networknt knows too; any other format is only a description. */
    private static final Set<String> CHECKED_FORMATS = Set.of("date-time", "date", "byte", "uuid", "ipv4", "ipv6",
            "hostname", "email", "uri");
    // exclusiveMinimum/Maximum are OpenAPI 3.0 booleans that networknt's minimum/maximum read from beside them
    private static final List<String> INERT_KEYWORDS = List.of("exclusiveMinimum", "exclusiveMaximum","x-kubernetes-validations", "x-kubernetes-int-or-string",
            "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-list-type",
            "x-kubernetes-list-map-keys", "x-kubernetes-map-type");
    private static final SchemaRegistry REGISTRY = registry();

    private final Schema schema;
    private final JsonNode prepared;

    private StructuralSchema(Schema schema, JsonNode prepared) {
        this.schema = schema;
        this.prepared = prepared;
    }

    static StructuralSchema compile(JsonNode openApiV3Schema) {
        JsonNode prepared = prepare(openApiV3Schema.deepCopy());
        Schema compiled = REGISTRY.getSchema(prepared);
        compiled.initializeValidators(); // compile every subschema now, not on the first write
        return new StructuralSchema(compiled, prepared);
    }

    /** The field errors of the object, dropping those on values that did not change from old (ratcheting). */
    List<FieldError> validate(JsonNode object, JsonNode old) {
        List<FieldError> errors = new ArrayList<>();
        for (Error error : schema.validate(object)) {
            if (!SchemaErrors.isInsideAlternative(error) && !Ratcheting.unchanged(error.getInstanceLocation(), object, old)) {
                errors.add(SchemaErrors.toFieldError(error, prepared));
            }
        }
        return errors;
    }

    private static SchemaRegistry registry() {
        Dialect.Builder kubernetes = Dialect.builder("https://serin.dev/strict/kubernetes-structural-schema",
                Dialects.getOpenApi30());
        INERT_KEYWORDS.forEach(name -> kubernetes.keyword(new NonValidationKeyword(name)));
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .losslessNarrowing(true) // 12.0 is an integer, as the real server's JSON decoding makes it
                .formatAssertionsEnabled(true)
                .build();
        return SchemaRegistry.withDefaultDialect(kubernetes.build(), builder -> builder.schemaRegistryConfig(config));
    }

    /** Rewrites Kubernetes-only meaning into plain JSON Schema, walking only schema positions (not property names). */
    private static JsonNode prepare(JsonNode node) {
        if (!(node instanceof ObjectNode schema)) {
            return node;
        }
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            ArrayNode types = schema.putArray("type");
            types.add("integer").add("string");
        }
        if (schema.has("format") && !CHECKED_FORMATS.contains(schema.path("format").asText())) {
            schema.remove("format");
        }
        schema.path("properties").forEach(StructuralSchema::prepare);
        for (String single : List.of("items", "additionalProperties", "not")) {
            prepare(schema.get(single));
        }
        for (String many : List.of("allOf", "anyOf", "oneOf")) {
            schema.path(many).forEach(StructuralSchema::prepare);
        }
        return schema;
    }
}
