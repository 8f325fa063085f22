package dev.serin.strict.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

/** kube-apiserver's structural defaulting, case by case (apiextensions-apiserver schema/defaulting). */
class StructuralDefaultsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNode SCHEMA = yaml("""
            type: object
            properties:
              spec:
                type: object
                properties:
                  mode: {type: string, default: Fast}
                  note: {type: string, nullable: true, default: none}
                  plain: {type: string}
                  limits:
                    type: object
                    default: {}
                    properties:
                      cpu: {type: integer, default: 1}
                  rules:
                    type: array
                    items:
                      type: object
                      properties:
                        weight: {type: integer, default: 1}
                        kind: {type: string, default: Service}
                        matches:
                          type: array
                          default: [{path: {type: PathPrefix, value: /}}]
                          items:
                            type: object
                            properties:
                              path:
                                type: object
                                properties:
                                  type: {type: string, default: PathPrefix}
                                  value: {type: string, default: /}
                  labels:
                    type: object
                    additionalProperties:
                      type: object
                      properties:
                        weight: {type: integer, default: 7}
            """);

    static JsonNode yaml(String text) {
        try {
            return new YAMLMapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode defaulted(String json) throws Exception {
        return StructuralDefaults.apply(JSON.readTree(json), SCHEMA);
    }

    @Test
    void absentFieldsGetTheirDefaultsAndDefaultedObjectsAreDefaultedInside() throws Exception {
        assertEquals(JSON.readTree("""
                {"spec": {"mode": "Fast", "note": "none", "limits": {"cpu": 1}}}"""), defaulted("{\"spec\": {}}"));
    }

    @Test
    void anExplicitNullIsDefaultedUnlessNullableAndDroppedWhenThereIsNoDefault() throws Exception {
        assertEquals(JSON.readTree("""
                {"spec": {"mode": "Fast", "note": null, "limits": {"cpu": 1}}}"""),
                defaulted("{\"spec\": {\"mode\": null, \"note\": null, \"plain\": null}}"));
    }

    @Test
    void setValuesAreKept() throws Exception {
        assertEquals(JSON.readTree("""
                {"spec": {"mode": "Slow", "note": "n", "limits": {"cpu": 4}}}"""),
                defaulted("{\"spec\": {\"mode\": \"Slow\", \"note\": \"n\", \"limits\": {\"cpu\": 4}}}"));
    }

    @Test
    void itemsOfArraysAndValuesOfMapsAreDefaultedAndSoIsADefaultedArray() throws Exception {
        JsonNode out = defaulted("""
                {"spec": {"rules": [{"weight": 5}, {"matches": [{"path": {"value": "/api"}}]}],
                          "labels": {"a": {}, "b": {"weight": 2}}}}""");
        assertEquals(JSON.readTree("""
                [{"weight": 5, "kind": "Service", "matches": [{"path": {"type": "PathPrefix", "value": "/"}}]},
                 {"weight": 1, "kind": "Service", "matches": [{"path": {"type": "PathPrefix", "value": "/api"}}]}]"""),
                out.at("/spec/rules"));
        assertEquals(JSON.readTree("{\"a\": {\"weight\": 7}, \"b\": {\"weight\": 2}}"), out.at("/spec/labels"));
    }

    @Test
    void theInputIsNotChanged() throws Exception {
        JsonNode in = JSON.readTree("{\"spec\": {}}");
        StructuralDefaults.apply(in, SCHEMA);
        assertEquals(JSON.readTree("{\"spec\": {}}"), in);
    }
}
