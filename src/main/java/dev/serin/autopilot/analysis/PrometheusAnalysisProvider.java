package dev.serin.autopilot.analysis;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Analysis from Prometheus' HTTP API: each metric is one instant query, {@code GET <prometheus>/api/v1/query?query=...
 * &time=<request.at in unix seconds>}, so the result depends on the requested time and not on when it runs.
 *
 * <p>Never throws for Prometheus trouble: an unreachable server, a timeout, an HTTP error or an error answer make the
 * metric (and so the analysis) INCONCLUSIVE with the reason as its message. The reason never quotes the answer's
 * body (it could be any page a Canary points Serin at): only the status code, the content type and a fixed text —
 * except Prometheus' own {@code error} of a JSON error answer. Redirects are not followed. The URL is the Canary's or
 * serin.analysis.prometheus.url, and must be admitted by serin.analysis.prometheus.allowed ({@link PrometheusEndpoints}).
 */
@ApplicationScoped
public class PrometheusAnalysisProvider implements AnalysisProvider {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final Duration timeout;
    private final PrometheusEndpoints endpoints;

    /** Any URL, no default: for tests. */
    public PrometheusAnalysisProvider() {
        this(PrometheusEndpoints.ANY);
    }

    @Inject
    public PrometheusAnalysisProvider(PrometheusEndpoints endpoints) {
        this(HttpClient.newBuilder()
                .connectTimeout(DEFAULT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build(), DEFAULT_TIMEOUT, endpoints);
    }

    public PrometheusAnalysisProvider(HttpClient http, Duration timeout) {
        this(http, timeout, PrometheusEndpoints.ANY);
    }

    public PrometheusAnalysisProvider(HttpClient http, Duration timeout, PrometheusEndpoints endpoints) {
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
    }

    @Override
    public AnalysisOutcome analyze(AnalysisRequest request) {
        String base = endpoints.urlFor(request.spec()).orElse(null);
        if (base != null && !endpoints.allowed(base)) {
            QueryResult.Failed refused = new QueryResult.Failed("Prometheus URL " + base
                    + " is not allowed by serin.analysis.prometheus.allowed", true);
            return Analysis.evaluate(request, q -> refused);
        }
        URI endpoint;
        try {
            endpoint = queryEndpoint(base);
        } catch (IllegalArgumentException e) {
            QueryResult.Failed bad = new QueryResult.Failed(e.getMessage(), true);
            return Analysis.evaluate(request, q -> bad);
        }
        String time = unixSeconds(request.at());
        PrometheusRange range = new PrometheusRange(http, timeout, endpoint, request.at(), request.window(),
                JudgeSettings.of(request.spec()).step());
        return Analysis.evaluate(request, q -> query(endpoint, q, time), range::query);
    }

    /**
     * One instant query at {@code at} for callers other than the analysis (e.g. the observed share), with the same
     * rules: a URL the allow-list refuses is not asked, and Prometheus trouble is a {@link QueryResult.Failed}.
     */
    public QueryResult instant(String base, String promql, Instant at) {
        if (base != null && !endpoints.allowed(base)) {
            return new QueryResult.Failed("Prometheus URL " + base
                    + " is not allowed by serin.analysis.prometheus.allowed", true);
        }
        try {
            return query(queryEndpoint(base), promql, unixSeconds(at));
        } catch (IllegalArgumentException e) {
            return new QueryResult.Failed(e.getMessage(), true);
        }
    }

    /** {@code <base>/api/v1/query}; the base may have a path prefix (e.g. http://host/prometheus). */
    static URI queryEndpoint(String base) {
        if (base == null || base.isBlank()) {
            throw new IllegalArgumentException("no Prometheus URL (analysis.prometheus) is set");
        }
        String b = base.strip();
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(b + "/api/v1/query");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad Prometheus URL '" + base + "': " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                || uri.getHost() == null) {
            throw new IllegalArgumentException("bad Prometheus URL '" + base + "': expected http(s)://host[:port]");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("bad Prometheus URL '" + base + "': no query or fragment allowed");
        }
        return uri;
    }

    /** Unix seconds with millisecond precision, as Prometheus' {@code time} parameter takes it: 1717000000.25. */
    static String unixSeconds(Instant at) {
        return BigDecimal.valueOf(at.toEpochMilli(), 3).stripTrailingZeros().toPlainString();
    }

    QueryResult query(URI endpoint, String promql, String time) {
        URI uri = URI.create(endpoint + "?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + time);
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> resp;
        try {
            resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            return new QueryResult.Failed("Prometheus at " + origin(endpoint) + " did not answer within "
                    + timeout.toMillis() + "ms", true);
        } catch (IOException e) {
            return new QueryResult.Failed("cannot reach Prometheus at " + origin(endpoint) + ": " + describe(e), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new QueryResult.Failed("interrupted while querying Prometheus", true);
        } catch (RuntimeException e) {
            return new QueryResult.Failed("cannot query Prometheus at " + origin(endpoint) + ": " + describe(e), true);
        }
        return PrometheusResponses.parse(resp.statusCode(), resp.headers().firstValue("Content-Type").orElse(null),
                resp.body());
    }

    private static String origin(URI endpoint) {
        String s = endpoint.toString();
        return s.substring(0, s.length() - "/api/v1/query".length());
    }

    private static String describe(Throwable e) {
        // java.net.http wraps the cause (e.g. ConnectException with a null message); name the innermost one
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null || msg.isBlank() ? "" : ": " + msg);
    }
}
