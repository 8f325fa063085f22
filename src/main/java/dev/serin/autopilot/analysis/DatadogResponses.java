package dev.serin.autopilot.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Datadog's answers to {@code POST /api/v2/query/scalar} and {@code /api/v2/query/timeseries}.
 *
 * <ul>
 *   <li>scalar: {@code {"data":{"type":"scalar_response","attributes":{"columns":[{"name":"a","type":"number",
 *       "values":[12.5]}]}}}}; no value (an empty or null {@code values}) is no data, never 0;
 *   <li>timeseries: {@code {"data":{"type":"timeseries_response","attributes":{"series":[...],"times":[...],
 *       "values":[[1.5,null,...]]}}}}: one array per series, null where a bucket had no data (NaN for the judge).
 * </ul>
 *
 * A failure's message never quotes the body, except the first of Datadog's own {@code errors} of a 400 (at most 200
 * characters), which users need to fix their query. A 401 or 403 says which keys to check; the caller adds where
 * they live.
 */
final class DatadogResponses {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ERROR = 200;

    /** The message of a 401 or 403, without the Secret's name. */
    static final String REFUSED = "Datadog refused the keys (HTTP %d): the API key or the application key is wrong, or"
            + " the application key lacks the timeseries_query scope";

    private DatadogResponses() {
    }

    static QueryResult scalar(int status, String body) {
        String error = error(status, body);
        if (error != null) {
            return new QueryResult.Failed(error, false);
        }
        JsonNode columns = read(body).path("data").path("attributes").path("columns");
        if (!columns.isArray()) {
            return new QueryResult.Failed("HTTP " + status + ": not a Datadog scalar response", false);
        }
        for (JsonNode c : columns) {
            if (!"number".equals(c.path("type").asText())) {
                continue;
            }
            JsonNode values = c.path("values");
            List<Double> present = new ArrayList<>();
            for (JsonNode v : values) {
                if (v.isNumber()) {
                    present.add(v.asDouble());
                }
            }
            if (present.isEmpty()) {
                return new QueryResult.NoData("Datadog has no data for the query in the window");
            }
            if (values.size() > 1) {
                return new QueryResult.Failed("query returned " + values.size()
                        + " groups; it must return one value (drop its 'by {...}')", false);
            }
            return new QueryResult.Value(present.get(0));
        }
        return new QueryResult.NoData("Datadog has no data for the query in the window");
    }

    static RangeResult timeseries(int status, String body) {
        String error = error(status, body);
        if (error != null) {
            return new RangeResult.Failed(error, false);
        }
        JsonNode attributes = read(body).path("data").path("attributes");
        JsonNode values = attributes.path("values");
        if (attributes.isMissingNode() || !(values.isArray() || values.isMissingNode())) {
            return new RangeResult.Failed("HTTP " + status + ": not a Datadog timeseries response", false);
        }
        List<double[]> series = new ArrayList<>();
        for (JsonNode s : values) {
            double[] v = new double[s.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = s.get(i).isNumber() ? s.get(i).asDouble() : Double.NaN;
            }
            series.add(v);
        }
        return new RangeResult.Series(series);
    }

    /** Why the answer is no answer; null for a 2xx. */
    private static String error(int status, String body) {
        if (status / 100 == 2) {
            return null;
        }
        if (status == 401 || status == 403) {
            return String.format(REFUSED, status);
        }
        if (status == 400) {
            JsonNode errors = read(body).path("errors");
            String first = errors.isArray() && !errors.isEmpty() ? errors.get(0).asText("").strip() : "";
            return "Datadog refused the query (HTTP 400)" + (first.isEmpty() ? "" : ": " + cut(first));
        }
        return "HTTP " + status + " from Datadog";
    }

    private static JsonNode read(String body) {
        try {
            JsonNode n = JSON.readTree(body == null ? "" : body);
            return n == null ? JSON.missingNode() : n;
        } catch (Exception e) {
            return JSON.missingNode();
        }
    }

    private static String cut(String error) {
        String s = error.replaceAll("\\s+", " ");
        return s.length() <= MAX_ERROR ? s : s.substring(0, MAX_ERROR - 3) + "...";
    }
}
