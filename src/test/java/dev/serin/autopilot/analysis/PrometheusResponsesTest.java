package dev.serin.autopilot.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals("HTTP 502, not a Prometheus API response: <html><body>Bad Gateway</body></html>", f.message());
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
}
