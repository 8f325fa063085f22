package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/** Renders a bad value the way the real API server's field errors do (Go's %v, %q and %#v). */
final class GoValues {
    private GoValues() {
    }

    /** A value already written as Go prints it. */
    record Literal(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    static String format(Object value) {
        if (value instanceof JsonNode node) {
            value = plain(node);
        }
        if (value == null) {
            return "\"null\"";
        }
        if (value instanceof String s) {
            return quote(s);
        }
        if (value instanceof Double || value instanceof Float) {
            return number(((Number) value).doubleValue());
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Map<?, ?> map && map.values().stream().allMatch(String.class::isInstance)) {
            return stringMap(map);
        }
        return value.toString();
    }

    /** Go's %q for the strings these checks meet (ASCII escapes only). */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
            }
        }
        return out.append('"').toString();
    }

    /** Go's %v of a float64: shortest digits, exponent form below 1e-4 and from 1e21. */
    static String number(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";
        }
        if (d == 0) {
            return "0";
        }
        double abs = Math.abs(d);
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        if (abs >= 1e-4 && abs < 1e21) {
            return exact.toPlainString();
        }
        int exponent = exact.precision() - exact.scale() - 1;
        String digits = exact.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (d < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }

    /** Go's %#v of a map[string]string, keys sorted: {@code map[string]string{"app":"web"}}. */
    static String stringMap(Map<?, ?> map) {
        StringBuilder out = new StringBuilder("map[string]string{");
        boolean first = true;
        for (var e : new TreeMap<>(map).entrySet()) {
            out.append(first ? "" : ", ").append(quote(String.valueOf(e.getKey()))).append(':')
                    .append(quote(String.valueOf(e.getValue())));
            first = false;
        }
        return out.append('}').toString();
    }

    private static Object plain(JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.toString();
    }
}
