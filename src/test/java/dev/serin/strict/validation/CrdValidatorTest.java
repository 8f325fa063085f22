package dev.serin.strict.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrdValidatorTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String GROUP = "example.dev";

    static CrdValidator validator;

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("widgets.yaml");
        Files.writeString(file, """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.dev}
                spec:
                  group: example.dev
                  scope: Namespaced
                  names: {kind: Widget, plural: widgets}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    subresources: {status: {}}
                    schema:
                      openAPIV3Schema:
                        type: object
                        x-kubernetes-validations:
                        - rule: self.metadata.name.size() <= 10
                          message: name too long
                        properties:
                          spec:
                            type: object
                            required: [size]
                            x-kubernetes-validations:
                            - rule: "!has(self.min) || !has(self.max) || self.min <= self.max"
                              message: min must not exceed max
                              fieldPath: .min
                            properties:
                              size: {type: integer, minimum: 1, maximum: 10}
                              ratio: {type: number, exclusiveMinimum: true, minimum: 0}
                              mode: {type: string, enum: [Fast, Slow]}
                              code: {type: string, pattern: '^[a-z]+$', maxLength: 5}
                              note: {type: string, nullable: true}
                              port:
                                x-kubernetes-int-or-string: true
                              min: {type: number}
                              max: {type: number}
                              frozen:
                                type: string
                                x-kubernetes-validations:
                                - rule: self == oldSelf
                                  message: frozen is immutable
                              steps:
                                type: array
                                maxItems: 3
                                items: {type: number}
                                x-kubernetes-validations:
                                - rule: self.isSorted()
                                  messageExpression: "'the ' + string(self.size()) + ' steps must be ascending'"
                              tags:
                                type: object
                                additionalProperties:
                                  type: string
                                  x-kubernetes-validations:
                                  - rule: self != 'bad'
                                    reason: FieldValueForbidden
                                    message: no bad tags
                  - name: v0
                    served: false
                    storage: false
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: not-a-crd}
                """);
        validator = CrdValidator.load(List.of(file));
    }

    @Test
    void servesOnlyServedVersions() {
        assertEquals(Optional.of(new ServedResource(GROUP, "v1", "widgets", "Widget", true, true)),
                validator.resource(GROUP, "v1", "widgets"));
        assertTrue(validator.resource(GROUP, "v0", "widgets").isEmpty());
        assertEquals(List.of("v1"), validator.servedVersions(GROUP));
        assertEquals(List.of(), validator.servedVersions("other.dev"));
    }

    @Test
    void aValidWidgetHasNoErrors() {
        assertEquals(List.of(), errors("{\"size\": 3, \"ratio\": 0.5, \"mode\": \"Fast\", \"note\": null, \"port\": 80,"
                + " \"steps\": [1, 2.5, 3], \"tags\": {\"a\": \"b\"}}"));
        assertEquals(List.of(), errors("{\"size\": 3.0, \"port\": \"http\"}"));
    }

    @Test
    void typeErrorsNameTheExpectedAndTheFoundType() {
        assertEquals(List.of(
                new FieldError("spec.size", "FieldValueTypeInvalid",
                        "Invalid value: \"string\": spec.size in body must be of type integer: \"string\""),
                new FieldError("<nil>", "FieldValueInvalid", "Invalid value: \"null\": some validation rules were not"
                        + " checked because the object was invalid; correct the existing errors to complete validation")),
                errors("{\"size\": \"3\"}"));
        assertEquals("Invalid value: \"number\": spec.port in body must be of type integer,string: \"number\"",
                errors("{\"size\": 3, \"port\": 1.5}").get(0).message());
        assertEquals("Invalid value: \"null\": spec.mode in body must be of type string: \"null\"",
                errors("{\"size\": 3, \"mode\": null}").get(0).message());
    }

    @Test
    void requiredBoundsEnumPatternAndLengthReadAsTheRealServerWritesThem() {
        assertEquals(new FieldError("spec.size", "FieldValueRequired", "Required value"), errors("{}").get(0));
        assertEquals(new FieldError("spec.size", "FieldValueInvalid",
                "Invalid value: 11: spec.size in body should be less than or equal to 10"), errors("{\"size\": 11}").get(0));
        assertEquals("Invalid value: 0: spec.size in body should be greater than or equal to 1",
                errors("{\"size\": 0}").get(0).message());
        assertEquals("Invalid value: 0: spec.ratio in body should be greater than 0",
                errors("{\"size\": 1, \"ratio\": 0}").get(0).message());
        assertEquals(new FieldError("spec.mode", "FieldValueNotSupported",
                "Unsupported value: \"Medium\": supported values: \"Fast\", \"Slow\""),
                errors("{\"size\": 1, \"mode\": \"Medium\"}").get(0));
        assertEquals(List.of(new FieldError("spec.code", "FieldValueInvalid",
                "Invalid value: \"ABC\": spec.code in body should match '^[a-z]+$'")),
                errors("{\"size\": 1, \"code\": \"ABC\"}"));
        assertEquals(new FieldError("spec.code", "FieldValueTooLong", "Too long: may not be longer than 5"),
                errors("{\"size\": 1, \"code\": \"abcdef\"}").get(0));
        assertEquals(new FieldError("spec.steps", "FieldValueTooMany", "Too many: 4: must have at most 3 items"),
                errors("{\"size\": 1, \"steps\": [1, 2, 3, 4]}").get(0));
        assertEquals("spec.steps[1]", errors("{\"size\": 1, \"steps\": [1, \"x\"]}").get(0).field());
    }

    @Test
    void celRulesRunAtTheirNodeWithMessageFieldPathReasonAndMessageExpression() {
        assertEquals(List.of(new FieldError("spec.min", "FieldValueInvalid",
                "Invalid value: \"object\": min must not exceed max")), errors("{\"size\": 1, \"min\": 5, \"max\": 2}"));
        assertEquals(List.of(new FieldError("spec.steps", "FieldValueInvalid",
                "Invalid value: \"array\": the 2 steps must be ascending")),
                errors("{\"size\": 1, \"steps\": [2, 1]}"));
        assertEquals(List.of(new FieldError("spec.tags[x]", "FieldValueForbidden", "Forbidden: no bad tags")),
                errors("{\"size\": 1, \"tags\": {\"x\": \"bad\", \"y\": \"good\"}}"));
    }

    @Test
    void rootRulesReadTheName() {
        JsonNode object = widget("{\"size\": 1}");
        ((com.fasterxml.jackson.databind.node.ObjectNode) object.get("metadata")).put("name", "much-too-long");
        assertEquals(List.of(new FieldError("<nil>", "FieldValueInvalid", "Invalid value: \"object\": name too long")),
                validator.validate(GROUP, "v1", "widgets", object, null));
    }

    @Test
    void transitionRulesAreSkippedOnCreateAndCheckedOnUpdate() {
        JsonNode created = widget("{\"size\": 1, \"frozen\": \"a\"}");
        assertEquals(List.of(), validator.validate(GROUP, "v1", "widgets", created, null));
        assertEquals(List.of(), validator.validate(GROUP, "v1", "widgets", widget("{\"size\": 2, \"frozen\": \"a\"}"), created));
        assertEquals(List.of(new FieldError("spec.frozen", "FieldValueInvalid",
                "Invalid value: \"string\": frozen is immutable")),
                validator.validate(GROUP, "v1", "widgets", widget("{\"size\": 1, \"frozen\": \"b\"}"), created));
    }

    @Test
    void unchangedInvalidValuesAreRatchetedOnUpdate() {
        JsonNode stored = widget("{\"size\": 1, \"code\": \"ABC\", \"min\": 5, \"max\": 2}");
        assertFalse(validator.validate(GROUP, "v1", "widgets", stored, null).isEmpty());
        JsonNode updated = widget("{\"size\": 2, \"code\": \"ABC\", \"min\": 5, \"max\": 2}");
        assertEquals(List.of(new FieldError("spec.min", "FieldValueInvalid",
                "Invalid value: \"object\": min must not exceed max")),
                validator.validate(GROUP, "v1", "widgets", updated, stored), "the pattern error is ratcheted");
    }

    @Test
    void validatesInWellUnderAMillisecond() {
        JsonNode object = widget("{\"size\": 3, \"ratio\": 0.5, \"steps\": [1, 2.5, 3], \"tags\": {\"a\": \"b\"}}");
        double best = Double.MAX_VALUE;
        for (int batch = 0; batch < 20; batch++) { // the best batch: the machine is shared, so some batches wait
            long start = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                validator.validate(GROUP, "v1", "widgets", object, null);
            }
            best = Math.min(best, (System.nanoTime() - start) / 200 / 1_000.0);
        }
        System.out.printf("CrdValidatorTest: one validation takes %.1f µs%n", best);
        assertTrue(best < 1_000, "one validation took " + best + " µs");
    }

    static List<FieldError> errors(String spec) {
        return validator.validate(GROUP, "v1", "widgets", widget(spec), null);
    }

    static JsonNode widget(String spec) {
        try {
            return JSON.readTree("{\"apiVersion\": \"example.dev/v1\", \"kind\": \"Widget\","
                    + " \"metadata\": {\"name\": \"w\", \"namespace\": \"default\"}, \"spec\": " + spec + "}");
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
