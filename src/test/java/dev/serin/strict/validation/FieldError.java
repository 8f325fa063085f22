package dev.serin.strict.validation;

import java.util.List;

/**
 * One cause of a refused write, as the real API server puts it in {@code Status.details.causes}: {@code field} is the
 * path ({@code spec.weight}, {@code spec.autopilot.steps[2]}, {@code metadata.name}), {@code type} the cause reason
 * ({@code FieldValueInvalid}, ...), {@code message} the text after the field ({@code Invalid value: 1.234: ...}).
 */
public record FieldError(String field, String type, String message) {
    public static final String REQUIRED = "FieldValueRequired";
    public static final String INVALID = "FieldValueInvalid";
    public static final String TYPE_INVALID = "FieldValueTypeInvalid";
    public static final String NOT_SUPPORTED = "FieldValueNotSupported";
    public static final String FORBIDDEN = "FieldValueForbidden";
    public static final String DUPLICATE = "FieldValueDuplicate";
    public static final String TOO_LONG = "FieldValueTooLong";
    public static final String TOO_MANY = "FieldValueTooMany";

    /** As the real server writes one error in its message: {@code spec.weight: Invalid value: ...}. */
    @Override
    public String toString() {
        return field + ": " + message;
    }

    public static FieldError required(String field, String detail) {
        return new FieldError(field, REQUIRED, withDetail("Required value", detail));
    }

    public static FieldError invalid(String field, Object value, String detail) {
        return new FieldError(field, INVALID, withDetail("Invalid value: " + GoValues.format(value), detail));
    }

    public static FieldError typeInvalid(String field, Object value, String detail) {
        return new FieldError(field, TYPE_INVALID, withDetail("Invalid value: " + GoValues.format(value), detail));
    }

    public static FieldError notSupported(String field, Object value, List<String> supported) {
        String detail = supported.isEmpty() ? ""
                : "supported values: " + String.join(", ", supported.stream().map(GoValues::quote).toList());
        return new FieldError(field, NOT_SUPPORTED, withDetail("Unsupported value: " + GoValues.format(value), detail));
    }

    public static FieldError forbidden(String field, String detail) {
        return new FieldError(field, FORBIDDEN, withDetail("Forbidden", detail));
    }

    public static FieldError duplicate(String field, Object value) {
        return new FieldError(field, DUPLICATE, "Duplicate value: " + GoValues.format(value));
    }

    public static FieldError tooLong(String field, int maxLength) {
        return new FieldError(field, TOO_LONG, "Too long: may not be longer than " + maxLength);
    }

    public static FieldError tooMany(String field, long actual, long max) {
        return new FieldError(field, TOO_MANY, "Too many: " + actual + ": must have at most " + max + " items");
    }

    private static String withDetail(String body, String detail) {
        return detail == null || detail.isEmpty() ? body : body + ": " + detail;
    }
}
