package dev.serin.autopilot.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusResponsesTest {
    static QueryResult ok(String data) {
        return PrometheusResponses.parse(200, "{\"status\":\"success\",\"data\":" + data + "}");
    }

    @Test
    void oneElementVector() {
        assertEquals(new QueryResult.Value(1.5),
                ok("{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1717000000.123,\"1.5\"]}]}"));
    }

    @Test
    void scalar() {
        assertEquals(new QueryResult.Value(42), ok("{\"resultType\":\"scalar\",\"result\":[1717000000,\"42\"]}"));
    }

    @Test
    void emptyVectorIsNoData() {
        assertInstanceOf(QueryResult.NoData.class, ok("{\"resultType\":\"vector\",\"result\":[]}"));
    }

    @Test
    void nanIsNoDataAndInfinitiesAreValues() {
        assertInstanceOf(QueryResult.NoData.class,
                ok("{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"NaN\"]}]}"));
        assertInstanceOf(QueryResult.NoData.class, ok("{\"resultType\":\"scalar\",\"result\":[1,\"NaN\"]}"));
        assertEquals(new QueryResult.Value(Double.POSITIVE_INFINITY),
                ok("{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"+Inf\"]}]}"));
        assertEquals(new QueryResult.Value(Double.NEGATIVE_INFINITY),
                ok("{\"resultType\":\"scalar\",\"result\":[1,\"-Inf\"]}"));
    }

    @Test
    void severalSeriesAreAnError() {
        QueryResult r = ok("{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"a\":\"1\"},\"value\":[1,\"1\"]},"
                + "{\"metric\":{\"a\":\"2\"},\"value\":[1,\"2\"]}]}");
        QueryResult.Failed f = assertInstanceOf(QueryResult.Failed.class, r);
        assertTrue(f.message().contains("2 series"), f.message());
        assertFalse(f.unreachable());
    }

    @Test
    void matrixAndStringAreErrors() {
        QueryResult.Failed f = assertInstanceOf(QueryResult.Failed.class,
                ok("{\"resultType\":\"matrix\",\"result\":[]}"));
        assertTrue(f.message().contains("matrix"), f.message());
        assertInstanceOf(QueryResult.Failed.class, ok("{\"resultType\":\"string\",\"result\":[1,\"x\"]}"));
    }

    @Test
    void errorAnswersCarryPrometheusMessage() {
        QueryResult.Failed f = assertInstanceOf(QueryResult.Failed.class, PrometheusResponses.parse(400,
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid parameter \\\"query\\\": "
                        + "1:5: parse error: unexpected end of input\"}"));
        assertEquals("Prometheus error (HTTP 400, bad_data): invalid parameter \"query\": 1:5: parse error: "
                + "unexpected end of input", f.message());
        assertFalse(f.unreachable());
    }

    @Test
    void nonJsonAndMalformedAnswersAreErrors() {
        QueryResult.Failed f = assertInstanceOf(QueryResult.Failed.class,
                PrometheusResponses.parse(502, "<html><body>Bad Gateway</body></html>"));
        assertEquals("HTTP 502 (no valid content type), not a Prometheus API response", f.message());
        assertInstanceOf(QueryResult.Failed.class, PrometheusResponses.parse(200, ""));
        assertInstanceOf(QueryResult.Failed.class, PrometheusResponses.parse(200, "[1,2]"));
        assertInstanceOf(QueryResult.Failed.class, ok("{\"resultType\":\"vector\",\"result\":[{\"metric\":{}}]}"));
        assertInstanceOf(QueryResult.Failed.class, ok("{\"resultType\":\"scalar\",\"result\":[1,\"abc\"]}"));
        assertInstanceOf(QueryResult.Failed.class, PrometheusResponses.parse(500,
                "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]}}"));
        String longBody = "x".repeat(1000);
        f = assertInstanceOf(QueryResult.Failed.class, PrometheusResponses.parse(500, longBody));
        assertTrue(f.message().length() < 300, f.message());
    }

    /** Whatever a URL answers, its body never reaches a message (status, Events, log): only code and content type. */
    @Test
    void bodiesAreNeverQuoted() {
        String secret = "SECRET-MARKER-42";
        for (String body : List.of("<html><body>" + secret + "</body></html>", "{\"token\":\"" + secret + "\"}",
                "{\"status\":\"" + secret + "\"}", "{\"status\":\"error\",\"errorType\":\"" + secret + "\"}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"" + secret + "\",\"result\":[]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":\"" + secret + "\"}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"" + secret + "\"]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[\"" + secret + "\"]}}",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"1\"]},\"x\":\"" + secret + "\"}")) {
            for (int code : new int[] {200, 302, 500}) {
                QueryResult r = PrometheusResponses.parse(code, "text/html; charset=" + secret, body);
                String text = r instanceof QueryResult.Failed f ? f.message() : r.toString();
                assertFalse(text.contains(secret), body + " -> " + text);
            }
        }
        QueryResult.Failed html = assertInstanceOf(QueryResult.Failed.class,
                PrometheusResponses.parse(200, "text/html; charset=utf-8", "<html>" + secret + "</html>"));
        assertEquals("HTTP 200 (text/html), not a Prometheus API response", html.message());
    }

    @Test
    void prometheusErrorTextIsCutTo200Characters() {
        QueryResult.Failed f = assertInstanceOf(QueryResult.Failed.class, PrometheusResponses.parse(422,
                "application/json", "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"" + "e".repeat(500) + "\"}"));
        String prefix = "Prometheus error (HTTP 422, execution): ";
        assertTrue(f.message().startsWith(prefix), f.message());
        assertEquals(200, f.message().length() - prefix.length());
    }
}
