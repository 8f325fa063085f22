package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code x-kubernetes-validations} rules of one schema, compiled once and laid out like the schema (properties,
 * items, additionalProperties), holding only the branches that have rules. Walking an object runs every rule on every
 * value it applies to, with {@code self} that value and {@code oldSelf} the old value where one correlates (same
 * property or map key; list items do not correlate, as in atomic lists).
 */
final class CelRuleTree {
    private final JsonNode schema;
    private final List<CelRule> rules;
    private final Map<String, CelRuleTree> properties;
    private final CelRuleTree items;
    private final CelRuleTree additionalProperties;
    private JsonNode rootSchema; // set on the root only: the schema plus what rules may read there

    private CelRuleTree(JsonNode schema, List<CelRule> rules, Map<String, CelRuleTree> properties, CelRuleTree items,
            CelRuleTree additionalProperties) {
        this.schema = schema;
        this.rules = rules;
        this.properties = properties;
        this.items = items;
        this.additionalProperties = additionalProperties;
    }

    /** The tree for a version's openAPIV3Schema; null when no rule is anywhere in it. */
    static CelRuleTree compileRoot(JsonNode schema) {
        CelRuleTree tree = compile(schema);
        if (tree != null) {
            ObjectNode rootSchema = schema.deepCopy();
            ObjectNode props = rootSchema.with("properties");
            props.putObject("apiVersion").put("type", "string");
            props.putObject("kind").put("type", "string");
            props.putObject("metadata").put("type", "object").put("x-kubernetes-preserve-unknown-fields", true);
            tree.rootSchema = rootSchema;
        }
        return tree;
    }

    private static CelRuleTree compile(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return null;
        }
        List<CelRule> rules = new ArrayList<>();
        schema.path("x-kubernetes-validations").forEach(rule -> rules.add(CelRule.compile(rule)));
        Map<String, CelRuleTree> properties = new LinkedHashMap<>();
        schema.path("properties").fields().forEachRemaining(field -> {
            CelRuleTree child = compile(field.getValue());
            if (child != null) {
                properties.put(field.getKey(), child);
            }
        });
        CelRuleTree items = compile(schema.get("items"));
        CelRuleTree additional = compile(schema.get("additionalProperties"));
        if (rules.isEmpty() && properties.isEmpty() && items == null && additional == null) {
            return null;
        }
        return new CelRuleTree(schema, List.copyOf(rules), properties, items, additional);
    }

    /** Every failing rule's error, on the root object (old is null on create). */
    List<FieldError> validateRoot(JsonNode object, JsonNode old) {
        List<FieldError> errors = new ArrayList<>();
        validate(object, old, FieldPaths.ROOT, true, errors);
        return errors;
    }

    private void validate(JsonNode value, JsonNode old, String path, boolean root, List<FieldError> errors) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return;
        }
        if (!rules.isEmpty()) {
            // ratcheting, as kube-apiserver 1.32 does: a rule without oldSelf is not re-checked on an unchanged value
            boolean unchanged = old != null && old.equals(value);
            Object self = root ? rootValue(value) : CelValues.of(value, schema);
            Object oldSelf = old == null ? null : root ? rootValue(old) : CelValues.of(old, schema);
            String type = schema.path("type").asText("");
            for (CelRule rule : rules) {
                if (!unchanged || rule.readsOldSelf()) {
                    rule.check(self, oldSelf, path, type).ifPresent(errors::add);
                }
            }
        }
        properties.forEach((name, child) -> child.validate(value.get(name), old == null ? null : old.get(name),
                FieldPaths.child(path, name), false, errors));
        if (items != null && value.isArray()) {
            for (int i = 0; i < value.size(); i++) {
                items.validate(value.get(i), null, FieldPaths.index(path, i), false, errors);
            }
        }
        if (additionalProperties != null && value.isObject()) {
            value.fields().forEachRemaining(field -> additionalProperties.validate(field.getValue(),
                    old == null ? null : old.get(field.getKey()), FieldPaths.key(path, field.getKey()), false, errors));
        }
    }

    /** The root as rules see it: apiVersion, kind, metadata.name and metadata.generateName, and the schema's fields. */
    private Object rootValue(JsonNode object) {
        ObjectNode visible = JsonNodeFactory.instance.objectNode();
        object.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("metadata")) {
                visible.set(field.getKey(), field.getValue());
            }
        });
        ObjectNode metadata = visible.putObject("metadata");
        for (String name : List.of("name", "generateName")) {
            if (object.path("metadata").hasNonNull(name)) {
                metadata.set(name, object.path("metadata").get(name));
            }
        }
        return CelValues.of(visible, rootSchema);
    }
}
