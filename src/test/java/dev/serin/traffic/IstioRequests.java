package dev.serin.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where Istio sends one HTTP request through a VirtualService, as far as tests need it: the first HTTP route with a
 * match that holds (uri exact or prefix, headers exact or regex over the whole value; no match: every request), and
 * its destinations as "subset=weight" strings. Header names are matched lowercase, as Envoy sees them.
 */
public final class IstioRequests {
    private IstioRequests() {
    }

    public static List<String> route(JsonNode vs, String path, Map<String, String> headers) {
        for (JsonNode route : vs.path("spec").path("http")) {
            if (matches(route.path("match"), path, headers)) {
                List<String> to = new ArrayList<>();
                route.path("route").forEach(d -> to.add(d.path("destination").path("subset").asText("-") + "="
                        + d.path("weight").asText("-")));
                return to;
            }
        }
        return List.of();
    }

    /** The name of the route the request takes, "" for an unnamed one. */
    public static String routeName(JsonNode vs, String path, Map<String, String> headers) {
        for (JsonNode route : vs.path("spec").path("http")) {
            if (matches(route.path("match"), path, headers)) {
                return route.path("name").asText("");
            }
        }
        return null;
    }

    private static boolean matches(JsonNode match, String path, Map<String, String> headers) {
        if (!match.isArray() || match.isEmpty()) {
            return true;
        }
        for (JsonNode m : match) {
            if (holds(m, path, headers)) {
                return true;
            }
        }
        return false;
    }

    private static boolean holds(JsonNode m, String path, Map<String, String> headers) {
        JsonNode uri = m.path("uri");
        if (uri.has("prefix") && !path.startsWith(uri.get("prefix").asText())) {
            return false;
        }
        if (uri.has("exact") && !path.equals(uri.get("exact").asText())) {
            return false;
        }
        var fields = m.path("headers").fields();
        while (fields.hasNext()) {
            var h = fields.next();
            String value = headers.get(h.getKey());
            if (value == null) {
                return false;
            }
            if (h.getValue().has("exact") && !value.equals(h.getValue().get("exact").asText())) {
                return false;
            }
            if (h.getValue().has("regex") && !Pattern.compile(h.getValue().get("regex").asText()).matcher(value).matches()) {
                return false;
            }
        }
        return true;
    }
}
