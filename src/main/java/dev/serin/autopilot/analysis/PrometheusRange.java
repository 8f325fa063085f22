package dev.serin.autopilot.analysis;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * Compare mode's range queries: {@code GET <prometheus>/api/v1/query_range?query=...&start=...&end=...&step=...} over
 * the analysis window, one sample per step. The first sample is one step after the window's start, so that each
 * sample's {@code [step]} lies inside the window. Errors as {@link PrometheusAnalysisProvider}'s: never the body.
 */
final class PrometheusRange {
    private final HttpClient http;
    private final Duration timeout;
    private final URI endpoint;
    private final String start;
    private final String end;
    private final String step;

    /** @param queryEndpoint {@code <base>/api/v1/query}, as {@link PrometheusAnalysisProvider#queryEndpoint} made it */
    PrometheusRange(HttpClient http, Duration timeout, URI queryEndpoint, Instant at, Duration window, Duration step) {
        this.http = http;
        this.timeout = timeout;
        this.endpoint = URI.create(queryEndpoint + "_range");
        Instant first = at.minus(window).plus(step);
        this.start = PrometheusAnalysisProvider.unixSeconds(first.isAfter(at) ? at : first);
        this.end = PrometheusAnalysisProvider.unixSeconds(at);
        this.step = java.math.BigDecimal.valueOf(step.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    RangeResult query(String promql) {
        URI uri = URI.create(endpoint + "?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + start + "&end=" + end + "&step=" + step);
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        String origin = origin();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            return new RangeResult.Failed("Prometheus at " + origin + " did not answer within " + timeout.toMillis()
                    + "ms", true);
        } catch (IOException e) {
            return new RangeResult.Failed("cannot reach Prometheus at " + origin + ": " + e.getClass().getSimpleName(),
                    true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RangeResult.Failed("interrupted while querying Prometheus", true);
        } catch (RuntimeException e) {
            return new RangeResult.Failed("cannot query Prometheus at " + origin + ": " + e.getClass().getSimpleName(),
                    true);
        }
        return PrometheusResponses.parseRange(resp.statusCode(), resp.headers().firstValue("Content-Type").orElse(null),
                resp.body());
    }

    private String origin() {
        String s = endpoint.toString();
        return s.substring(0, s.length() - "/api/v1/query_range".length());
    }
}
