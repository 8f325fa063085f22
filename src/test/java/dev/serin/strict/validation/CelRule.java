package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.runtime.CelEvaluationException;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code x-kubernetes-validations} entry, compiled once: the rule, its message or messageExpression, and the
 * reason and fieldPath that shape the error, as kube-apiserver reports a failing rule.
 */
final class CelRule {
    private final String rule;
    private final String message;
    private final String reason;
    private final String fieldPath;
    private final CelEnvironment.Compiled program;
    private final CelEnvironment.Compiled messageExpression;
    private final boolean optionalOldSelf;

    private CelRule(JsonNode spec) {
        this.rule = spec.path("rule").asText();
        this.message = spec.path("message").asText("").trim();
        this.reason = spec.path("reason").asText("");
        this.fieldPath = spec.path("fieldPath").asText("");
        this.optionalOldSelf = spec.path("optionalOldSelf").asBoolean(false);
        this.program = CelEnvironment.compile(rule);
        String expression = spec.path("messageExpression").asText("");
        this.messageExpression = expression.isBlank() ? null : CelEnvironment.compile(expression);
    }

    static CelRule compile(JsonNode spec) {
        return new CelRule(spec);
    }

    /** A transition rule: it reads oldSelf, so it is skipped on create and wherever the old value is absent. */
    boolean readsOldSelf() {
        return program.readsOldSelf();
    }

    /** The error this rule gives for the value at path (typed schemaType), or empty when it holds or does not apply. */
    Optional<FieldError> check(Object self, Object oldSelf, String path, String schemaType) {
        if (readsOldSelf() && (oldSelf == null || optionalOldSelf)) {
            return Optional.empty(); // optionalOldSelf would bind optional.none(); not supported, so skipped too
        }
        Map<String, Object> vars = readsOldSelf()
                ? Map.of(CelEnvironment.SELF, self, CelEnvironment.OLD_SELF, oldSelf)
                : Map.of(CelEnvironment.SELF, self);
        Object result;
        try {
            result = program.program().eval(vars);
        } catch (CelEvaluationException e) {
            return Optional.of(evaluationError(path, schemaType, e));
        }
        if (Boolean.TRUE.equals(result)) {
            return Optional.empty();
        }
        String errorPath = FieldPaths.append(path, fieldPath);
        return Optional.of(forReason(errorPath, schemaType, detail(vars)));
    }

    private String detail(Map<String, Object> vars) {
        if (messageExpression != null) {
            try {
                Object text = messageExpression.program().eval(vars);
                if (text instanceof String s && !s.isBlank() && !s.contains("\n")) {
                    return s.trim();
                }
            } catch (CelEvaluationException e) {
                // kube-apiserver logs this and falls back to message, as here
            }
        }
        return message.isEmpty() ? "failed rule: " + ruleText() : message;
    }

    private String ruleText() {
        return message.isEmpty() ? rule.trim() : message;
    }

    private FieldError evaluationError(String path, String schemaType, CelEvaluationException e) {
        String cause = e.getMessage().replaceFirst("^evaluation error at \\S+: ", "");
        if (cause.startsWith("No matching overload") || cause.startsWith("no such overload")) {
            return FieldError.invalid(path, schemaType, "'" + cause + "': call arguments did not match a supported"
                    + " operator, function or macro signature for rule: " + ruleText());
        }
        return FieldError.invalid(path, schemaType, cause + " evaluating rule: " + ruleText());
    }

    private FieldError forReason(String path, String schemaType, String detail) {
        return switch (reason) {
            case FieldError.FORBIDDEN -> FieldError.forbidden(path, detail);
            case FieldError.REQUIRED -> FieldError.required(path, detail);
            case FieldError.DUPLICATE -> FieldError.duplicate(path, schemaType);
            default -> FieldError.invalid(path, schemaType, detail);
        };
    }
}
