package dev.serin.playground;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Whether one request meets a VirtualService HTTP route's {@code match}, as Envoy decides it: a route without matches
 * takes every request; otherwise any one of its matches must hold, and a match holds when all its conditions do.
 * Conditions understood: {@code headers} and {@code uri}, each {@code exact}, {@code prefix} or {@code regex} (a
 * regular expression on the whole value, as Istio's RE2 matches), and {@code ignoreUriCase}. A match with any other
 * condition (query parameters, method, authority, source labels, gateways ...) is taken as not met: the playground
 * cannot tell.
 */
final class RequestMatch {
    private RequestMatch() {
    }

    /** {@code header}: the request's value of a header (any case of its name), null when it has none. */
    static boolean matches(JsonNode httpRoute, String path, Function<String, String> header) {
        JsonNode matches = httpRoute.path("match");
        if (matches.isEmpty()) {
            return true;
        }
        for (JsonNode match : matches) {
            if (holds(match, path, header)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holds(JsonNode match, String path, Function<String, String> header) {
        for (Iterator<Map.Entry<String, JsonNode>> it = match.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> condition = it.next();
            switch (condition.getKey()) {
                case "name", "ignoreUriCase" -> {
                }
                case "uri" -> {
                    boolean ignoreCase = match.path("ignoreUriCase").asBoolean(false);
                    if (!meets(condition.getValue(), ignoreCase ? path.toLowerCase() : path, ignoreCase)) {
                        return false;
                    }
                }
                case "headers" -> {
                    for (Iterator<Map.Entry<String, JsonNode>> h = condition.getValue().fields(); h.hasNext();) {
                        Map.Entry<String, JsonNode> wanted = h.next();
                        String value = header.apply(wanted.getKey());
                        if (value == null || !meets(wanted.getValue(), value, false)) {
                            return false;
                        }
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    /** A StringMatch ({@code exact}, {@code prefix} or {@code regex}) against the value. */
    private static boolean meets(JsonNode stringMatch, String value, boolean lowerCase) {
        if (stringMatch.has("exact")) {
            return value.equals(lower(stringMatch.path("exact").asText(), lowerCase));
        }
        if (stringMatch.has("prefix")) {
            return value.startsWith(lower(stringMatch.path("prefix").asText(), lowerCase));
        }
        if (stringMatch.has("regex")) {
            try {
                return Pattern.compile(stringMatch.path("regex").asText()).matcher(value).matches();
            } catch (PatternSyntaxException e) {
                return false; // Istio refuses such a route; it would not be there
            }
        }
        return false;
    }

    private static String lower(String s, boolean lowerCase) {
        return lowerCase ? s.toLowerCase() : s;
    }
}
