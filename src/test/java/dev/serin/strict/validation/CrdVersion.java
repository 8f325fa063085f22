package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One served version of a CRD with its schema and CEL rules compiled, validating as kube-apiserver does. */
final class CrdVersion {
    /** Schema errors after which the real server runs no CEL rule (hasBlockingErr in apiextensions-apiserver). */
    private static final Set<String> BLOCKING = Set.of(FieldError.NOT_SUPPORTED, FieldError.REQUIRED,
            FieldError.TOO_LONG, FieldError.TOO_MANY, FieldError.TYPE_INVALID);

    private final ServedResource resource;
    private final StructuralSchema schema;
    private final CelRuleTree rules;
    private final JsonNode defaultsSchema; // null when the schema has no default anywhere

    CrdVersion(ServedResource resource, JsonNode openApiV3Schema) {
        this.resource = resource;
        this.defaultsSchema = StructuralDefaults.hasDefaults(openApiV3Schema) ? openApiV3Schema : null;
        this.schema = openApiV3Schema == null ? null : StructuralSchema.compile(openApiV3Schema);
        this.rules = openApiV3Schema == null ? null : CelRuleTree.compileRoot(openApiV3Schema);
    }

    ServedResource resource() {
        return resource;
    }

    /** The object as the real server decodes it: non-nullable nulls pruned, the schema's defaults filled in. */
    JsonNode withDefaults(JsonNode object) {
        return defaultsSchema == null ? object : StructuralDefaults.apply(object, defaultsSchema);
    }

    List<FieldError> validate(JsonNode object, JsonNode old) {
        List<FieldError> errors = new ArrayList<>();
        if (schema != null) {
            errors.addAll(schema.validate(object, old));
        }
        if (rules != null) {
            if (errors.stream().anyMatch(e -> BLOCKING.contains(e.type()))) {
                errors.add(FieldError.invalid(FieldPaths.ROOT, null, "some validation rules were not checked because"
                        + " the object was invalid; correct the existing errors to complete validation"));
            } else {
                errors.addAll(rules.validateRoot(object, old));
            }
        }
        return errors;
    }
}
