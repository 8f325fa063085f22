package dev.serin.autopilot.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the body of Prometheus' {@code /api/v1/query}: {@code {"status":"success","data":{"resultType":"vector",
 * "result":[{"metric":{},"value":[1717000000.5,"1.5"]}]}}}, or {@code resultType "scalar"} with {@code "result":[t,"v"]},
 * or {@code {"status":"error","errorType":"bad_data","error":"..."}}.
 */
final class PrometheusResponses {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SNIPPET = 200;

    private PrometheusResponses() {
    }

    static QueryResult parse(int httpStatus, String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (Exception e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return new QueryResult.Failed("HTTP " + httpStatus + ", not a Prometheus API response: " + snippet(body),
                    false);
        }
        String status = root.path("status").asText("");
        if (!"success".equals(status)) {
            String type = root.path("errorType").asText("");
            String error = root.path("error").asText("");
            String what = error.isEmpty() ? snippet(body) : error;
            return new QueryResult.Failed("Prometheus error (HTTP " + httpStatus
                    + (type.isEmpty() ? "" : ", " + type) + "): " + what, false);
        }
        if (httpStatus / 100 != 2) {
            return new QueryResult.Failed("HTTP " + httpStatus + ": " + snippet(body), false);
        }
        JsonNode data = root.path("data");
        String resultType = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        switch (resultType) {
            case "scalar":
                return sample(result);
            case "vector":
                if (!result.isArray()) {
                    return new QueryResult.Failed("malformed vector result: " + snippet(body), false);
                }
                if (result.isEmpty()) {
                    return new QueryResult.NoData("empty result");
                }
                if (result.size() > 1) {
                    return new QueryResult.Failed("query returned " + result.size()
                            + " series; it must return one value (aggregate it, e.g. with sum())", false);
                }
                return sample(result.get(0).path("value"));
            default:
                return new QueryResult.Failed("query returned a " + (resultType.isEmpty() ? "missing" : resultType)
                        + " result; it must return a scalar or a single-element instant vector", false);
        }
    }

    /** A {@code [time, "value"]} pair. */
    private static QueryResult sample(JsonNode pair) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(1).isTextual()) {
            return new QueryResult.Failed("malformed sample: " + snippet(String.valueOf(pair)), false);
        }
        String text = pair.get(1).asText();
        double v;
        switch (text) {
            case "NaN":
                return new QueryResult.NoData("NaN (no data in the window)");
            case "+Inf":
            case "Inf":
                v = Double.POSITIVE_INFINITY;
                break;
            case "-Inf":
                v = Double.NEGATIVE_INFINITY;
                break;
            default:
                try {
                    v = Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    return new QueryResult.Failed("not a number: " + snippet(text), false);
                }
        }
        return Double.isNaN(v) ? new QueryResult.NoData("NaN (no data in the window)") : new QueryResult.Value(v);
    }

    static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return "(empty body)";
        }
        String s = body.strip().replaceAll("\\s+", " ");
        return s.length() <= MAX_SNIPPET ? s : s.substring(0, MAX_SNIPPET) + "...";
    }
}
