package dev.serin.playground;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which rule of an HTTPRoute one request takes, as Gateway API ranks them: among the rules with a match the request
 * meets, the one whose matching match is most specific (an {@code Exact} path before any other, then the longest
 * path, then a {@code method}, then the most {@code headers}, then the most {@code queryParams}); on a tie, the first
 * rule. Conditions understood: {@code path} ({@code PathPrefix}, element-wise as specified, {@code Exact},
 * {@code RegularExpression}) and {@code headers} ({@code Exact}, {@code RegularExpression} on the whole value; names
 * in any case). A match with {@code method} or {@code queryParams} is taken as not met: the playground cannot tell.
 */
final class HttpRouteMatch {
    private HttpRouteMatch() {
    }

    /** Index of the rule the request takes, or -1 when none matches. */
    static int rule(JsonNode route, String path, Function<String, String> header) {
        JsonNode rules = route.path("spec").path("rules");
        int best = -1;
        long bestScore = -1;
        for (int i = 0; i < rules.size(); i++) {
            JsonNode matches = rules.get(i).path("matches");
            if (matches.isEmpty()) {
                // the API server's default match, PathPrefix /
                matches = Discovery.JSON.createArrayNode().add(Discovery.JSON.createObjectNode());
            }
            for (JsonNode match : matches) {
                long score = score(match, path, header);
                if (score > bestScore) {
                    best = i;
                    bestScore = score;
                }
            }
        }
        return best;
    }

    /** How specific the match is when the request meets it (larger: more), -1 when it does not. */
    private static long score(JsonNode match, String path, Function<String, String> header) {
        if (match.has("method") || !match.path("queryParams").isEmpty()) {
            return -1;
        }
        JsonNode p = match.path("path");
        String type = p.path("type").asText("PathPrefix");
        String value = p.path("value").asText("/");
        boolean exact = false;
        switch (type) {
            case "Exact" -> {
                if (!path.equals(value)) {
                    return -1;
                }
                exact = true;
            }
            case "RegularExpression" -> {
                if (!regex(value, path)) {
                    return -1;
                }
            }
            default -> {
                if (!prefix(value, path)) {
                    return -1;
                }
            }
        }
        int headers = 0;
        for (JsonNode h : match.path("headers")) {
            String actual = header.apply(h.path("name").asText());
            String wanted = h.path("value").asText();
            boolean meets = actual != null && ("RegularExpression".equals(h.path("type").asText("Exact"))
                    ? regex(wanted, actual) : actual.equals(wanted));
            if (!meets) {
                return -1;
            }
            headers++;
        }
        // exact path, then path length, then header count (method and query parameters never match here)
        return (exact ? 1L << 40 : 0) + ((long) value.length() << 16) + headers;
    }

    /** PathPrefix: the path's elements begin with the prefix's ("/api" matches "/api" and "/api/x", not "/apix"). */
    private static boolean prefix(String prefix, String path) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return p.isEmpty() || path.equals(p) || path.startsWith(p + "/");
    }

    private static boolean regex(String pattern, String value) {
        try {
            return Pattern.compile(pattern).matcher(value).matches();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }
}
