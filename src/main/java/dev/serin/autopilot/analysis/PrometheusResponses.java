package dev.serin.autopilot.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the body of Prometheus' {@code /api/v1/query}: {@code {"status":"success","data":{"resultType":"vector",
 * "result":[{"metric":{},"value":[1717000000.5,"1.5"]}]}}}, or {@code resultType "scalar"} with {@code "result":[t,"v"]},
 * or {@code {"status":"error","errorType":"bad_data","error":"..."}}.
 *
 * <p>A failure's message goes into the Canary's status and Events, readable by anyone who may read the Canary, so it
 * never quotes the body: only the HTTP status, the content type and a fixed text. The one exception is Prometheus' own
 * {@code error} text of a JSON answer with {@code "status":"error"}, cut to 200 characters, which users need to fix
 * their PromQL.
 */
final class PrometheusResponses {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR = 200;
    private static final java.util.regex.Pattern MEDIA_TYPE = java.util.regex.Pattern.compile(
            "[A-Za-z0-9!#$&^_.+-]{1,64}/[A-Za-z0-9!#$&^_.+-]{1,64}");
    private static final java.util.regex.Pattern ERROR_TYPE = java.util.regex.Pattern.compile("[a-z_]{1,32}");
    private static final java.util.Set<String> RESULT_TYPES = java.util.Set.of("matrix", "string", "vector", "scalar");

    private PrometheusResponses() {
    }

    static QueryResult parse(int httpStatus, String body) {
        return parse(httpStatus, null, body);
    }

    static QueryResult parse(int httpStatus, String contentType, String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (Exception e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            return notPrometheus(httpStatus, contentType);
        }
        String status = root.path("status").asText("");
        if ("error".equals(status)) {
            String type = root.path("errorType").asText("");
            String error = root.path("error").asText("").strip();
            return new QueryResult.Failed("Prometheus error (HTTP " + httpStatus
                    + (ERROR_TYPE.matcher(type).matches() ? ", " + type : "") + ")"
                    + (error.isEmpty() ? "" : ": " + cut(error)), false);
        }
        if (!"success".equals(status)) {
            return notPrometheus(httpStatus, contentType);
        }
        if (httpStatus / 100 != 2) {
            return new QueryResult.Failed("HTTP " + httpStatus + " with a success answer", false);
        }
        JsonNode data = root.path("data");
        String resultType = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        switch (resultType) {
            case "scalar":
                return sample(result);
            case "vector":
                if (!result.isArray()) {
                    return new QueryResult.Failed("malformed vector result", false);
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
                return new QueryResult.Failed("query returned a " + (resultType.isEmpty() ? "missing"
                        : RESULT_TYPES.contains(resultType) ? resultType : "unknown")
                        + " result; it must return a scalar or a single-element instant vector", false);
        }
    }

    /**
     * The body of {@code /api/v1/query_range}: {@code "resultType":"matrix"} with {@code "result":[{"metric":{...},
     * "values":[[t,"v"],...]}]}: each series' values, NaN kept (the judge drops them). Errors as for {@link #parse}.
     */
    static RangeResult parseRange(int httpStatus, String contentType, String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (Exception e) {
            root = null;
        }
        if (root == null || !root.isObject() || !"success".equals(root.path("status").asText(""))) {
            QueryResult r = parse(httpStatus, contentType, body); // the same words for an error answer
            return new RangeResult.Failed(r instanceof QueryResult.Failed f ? f.message()
                    : "HTTP " + httpStatus + ", not a Prometheus API response", false);
        }
        if (httpStatus / 100 != 2) {
            return new RangeResult.Failed("HTTP " + httpStatus + " with a success answer", false);
        }
        JsonNode data = root.path("data");
        String resultType = data.path("resultType").asText("");
        JsonNode result = data.path("result");
        if (!"matrix".equals(resultType) || !result.isArray()) {
            return new RangeResult.Failed("range query returned a " + (resultType.isEmpty() ? "missing"
                    : RESULT_TYPES.contains(resultType) ? resultType : "unknown") + " result, not a matrix", false);
        }
        java.util.List<double[]> series = new java.util.ArrayList<>();
        for (JsonNode s : result) {
            JsonNode values = s.path("values");
            if (!values.isArray()) {
                return new RangeResult.Failed("malformed matrix result", false);
            }
            double[] v = new double[values.size()];
            for (int i = 0; i < v.length; i++) {
                QueryResult one = sample(values.get(i));
                if (one instanceof QueryResult.Failed f) {
                    return new RangeResult.Failed(f.message(), false);
                }
                v[i] = one instanceof QueryResult.Value value ? value.value() : Double.NaN;
            }
            series.add(v);
        }
        return new RangeResult.Series(series);
    }

    /** A {@code [time, "value"]} pair. */
    private static QueryResult sample(JsonNode pair) {
        if (!pair.isArray() || pair.size() != 2 || !pair.get(1).isTextual()) {
            return new QueryResult.Failed("malformed sample", false);
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
                    return new QueryResult.Failed("a sample value is not a number", false);
                }
        }
        return Double.isNaN(v) ? new QueryResult.NoData("NaN (no data in the window)") : new QueryResult.Value(v);
    }

    private static QueryResult.Failed notPrometheus(int httpStatus, String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip();
        return new QueryResult.Failed("HTTP " + httpStatus + " (" + (MEDIA_TYPE.matcher(type).matches() ? type
                : "no valid content type") + "), not a Prometheus API response", false);
    }

    /** Prometheus' own error text, on one line, at most 200 characters. */
    private static String cut(String error) {
        String s = error.replaceAll("\\s+", " ");
        return s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR - 3) + "...";
    }
}
