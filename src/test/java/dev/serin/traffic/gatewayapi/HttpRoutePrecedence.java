package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.traffic.JsonAnnotations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Test fixture: which rule of which HTTPRoute a request takes, by Gateway API's precedence (HTTPRouteRule's
 * documentation): across all rules of the routes, the match with an Exact path, then the PathPrefix with the most
 * characters, then a method match, then the most header matches, then the most query param matches; on a tie the
 * oldest route, then the first by "namespace/name"; within a route, the first matching rule in list order. A missing
 * match is PathPrefix /; RegularExpression header values are read as full-value regular expressions.
 */
public final class HttpRoutePrecedence {
    public record Request(String method, String path, Map<String, String> headers, Map<String, String> query) {
        public static Request get(String path, Map<String, String> headers) {
            return new Request("GET", path, headers, Map.of());
        }
    }

    /** The rule a request takes: the backendRefs' names and weights, in order. */
    public record Taken(String route, int rule, Map<String, Integer> backends) {
    }

    private record Candidate(JsonNode route, int routeOrder, int rule, JsonNode match) {
    }

    private HttpRoutePrecedence() {
    }

    public static Optional<Taken> route(Request request, JsonNode... routes) {
        List<Candidate> matching = new ArrayList<>();
        for (int r = 0; r < routes.length; r++) {
            JsonNode rules = routes[r].path("spec").path("rules");
            for (int i = 0; i < rules.size(); i++) {
                JsonNode matches = rules.get(i).path("matches");
                List<JsonNode> list = new ArrayList<>();
                matches.forEach(list::add);
                if (list.isEmpty()) {
                    list.add(JsonAnnotations.JSON.createObjectNode()); // PathPrefix /, the default
                }
                for (JsonNode m : list) {
                    if (matches(m, request)) {
                        matching.add(new Candidate(routes[r], r, i, m));
                    }
                }
            }
        }
        return matching.stream().min(PRECEDENCE).map(c -> {
            Map<String, Integer> backends = new LinkedHashMap<>();
            for (JsonNode ref : c.route().path("spec").path("rules").get(c.rule()).path("backendRefs")) {
                backends.put(ref.path("name").asText(), ref.path("weight").asInt(1));
            }
            return new Taken(c.route().at("/metadata/name").asText(), c.rule(), backends);
        });
    }

    private static final Comparator<Candidate> PRECEDENCE = Comparator
            .comparing((Candidate c) -> !"Exact".equals(pathType(c.match())))
            .thenComparing(c -> "PathPrefix".equals(pathType(c.match())) ? -pathValue(c.match()).length() : 0)
            .thenComparing(c -> !c.match().has("method"))
            .thenComparing(c -> -c.match().path("headers").size())
            .thenComparing(c -> -c.match().path("queryParams").size())
            .thenComparing(c -> Instant.parse(c.route().at("/metadata/creationTimestamp")
                    .asText("1970-01-01T00:00:00Z")))
            .thenComparing(c -> c.route().at("/metadata/namespace").asText() + "/"
                    + c.route().at("/metadata/name").asText())
            .thenComparing(Candidate::routeOrder)
            .thenComparing(Candidate::rule);

    private static String pathType(JsonNode match) {
        return match.path("path").path("type").asText("PathPrefix");
    }

    private static String pathValue(JsonNode match) {
        return match.path("path").path("value").asText("/");
    }

    private static boolean matches(JsonNode m, Request request) {
        String value = pathValue(m);
        boolean path = switch (pathType(m)) {
            case "Exact" -> request.path().equals(value);
            case "RegularExpression" -> Pattern.matches(value, request.path());
            default -> prefix(value, request.path());
        };
        if (!path || (m.has("method") && !m.path("method").asText().equals(request.method()))) {
            return false;
        }
        for (JsonNode h : m.path("headers")) {
            String got = header(request.headers(), h.path("name").asText());
            if (got == null || !valueMatches(h, got)) {
                return false;
            }
        }
        for (JsonNode q : m.path("queryParams")) {
            String got = request.query().get(q.path("name").asText());
            if (got == null || !valueMatches(q, got)) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueMatches(JsonNode condition, String got) {
        String want = condition.path("value").asText();
        return "RegularExpression".equals(condition.path("type").asText("Exact")) ? Pattern.matches(want, got)
                : want.equals(got);
    }

    /** Header names are case-insensitive. */
    private static String header(Map<String, String> headers, String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A path prefix matches whole path elements: /api matches /api and /api/v1, not /apis; a trailing / is ignored. */
    private static boolean prefix(String prefix, String path) {
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        return p.isEmpty() || path.equals(p) || path.startsWith(p + "/");
    }
}
