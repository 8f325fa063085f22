package dev.serin.autopilot.analysis;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Datadog's metric query API (v2): {@code POST <base>/api/v2/query/scalar} and {@code /api/v2/query/timeseries} with
 * the headers {@code DD-API-KEY} and {@code DD-APPLICATION-KEY}. The base is {@code https://api.<site>} for one of
 * Datadog's documented sites ({@link #siteUrl}); only the operator setting serin.analysis.datadog.base-url (for tests)
 * names another. Redirects are not followed.
 *
 * <p>A 429 is answered by waiting the seconds {@code X-RateLimit-Reset} gives: up to {@link #MAX_WAIT} the query is
 * sent again after that wait; a longer reset holds every query of this API (all Canaries) until it has passed, each
 * meanwhile INCONCLUSIVE.
 */
final class DatadogApi {
    static final Duration MAX_WAIT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Pauses the calling thread; tests record the pause instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** The API keys, from Serin's Secret. */
    record Keys(String apiKey, String applicationKey) {
        @Override
        public String toString() {
            return "Keys[redacted]";
        }
    }

    private final HttpClient http;
    private final Duration timeout;
    private final URI base;
    private final Keys keys;
    private final Clock clock;
    private final Sleeper sleeper;
    private final AtomicReference<Instant> notBefore;

    /** @param notBefore shared by every use of this Datadog: no query before it (a rate limit's reset) */
    DatadogApi(HttpClient http, Duration timeout, URI base, Keys keys, Clock clock, Sleeper sleeper,
            AtomicReference<Instant> notBefore) {
        this.http = http;
        this.timeout = timeout;
        this.base = base;
        this.keys = keys;
        this.clock = clock;
        this.sleeper = sleeper;
        this.notBefore = notBefore;
    }

    /** {@code https://api.<site>}, e.g. https://api.datadoghq.eu. */
    static URI siteUrl(dev.serin.api.v1alpha1.DatadogSpec.Site site) {
        return URI.create("https://api." + site.domain());
    }

    /** One value of {@code query} over [from, to), reduced by {@code aggregator} (avg, sum, ...). */
    QueryResult scalar(String query, String aggregator, Instant from, Instant to) {
        ObjectNode q = JSON.createObjectNode().put("data_source", "metrics").put("name", "a").put("query", query)
                .put("aggregator", aggregator);
        Answer a = post("/api/v2/query/scalar", request("scalar_request", from, to, null, q));
        return a.failure() != null ? new QueryResult.Failed(a.failure(), a.unreachable())
                : DatadogResponses.scalar(a.status(), a.body());
    }

    /** {@code query} in buckets of {@code interval} over [from, to): one array per series. */
    RangeResult timeseries(String query, Instant from, Instant to, Duration interval) {
        ObjectNode q = JSON.createObjectNode().put("data_source", "metrics").put("name", "a").put("query", query);
        Answer a = post("/api/v2/query/timeseries", request("timeseries_request", from, to, interval, q));
        return a.failure() != null ? new RangeResult.Failed(a.failure(), a.unreachable())
                : DatadogResponses.timeseries(a.status(), a.body());
    }

    private static String request(String type, Instant from, Instant to, Duration interval, ObjectNode query) {
        ObjectNode attributes = JSON.createObjectNode().put("from", from.toEpochMilli()).put("to", to.toEpochMilli());
        if (interval != null) {
            attributes.put("interval", interval.toMillis());
        }
        attributes.putArray("queries").add(query);
        attributes.putArray("formulas").addObject().put("formula", "a");
        ObjectNode root = JSON.createObjectNode();
        root.putObject("data").put("type", type).set("attributes", attributes);
        return root.toString();
    }

    /** @param reset X-RateLimit-Reset of a 429, else null */
    private record Answer(int status, String body, String reset, String failure, boolean unreachable) {
        static Answer failed(String failure) {
            return new Answer(0, null, null, failure, true);
        }
    }

    private Answer post(String path, String body) {
        Instant wait = notBefore.get();
        if (wait != null && clock.instant().isBefore(wait)) {
            return Answer.failed("Datadog's rate limit: no query before " + wait);
        }
        Answer a = send(path, body);
        if (a.status() == 429) {
            Duration reset = reset(a);
            if (reset.compareTo(MAX_WAIT) > 0) {
                notBefore.set(clock.instant().plus(reset));
                return Answer.failed("Datadog's rate limit: the next query in " + reset.toSeconds()
                        + "s (X-RateLimit-Reset)");
            }
            try {
                sleeper.sleep(reset);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Answer.failed("interrupted while waiting for Datadog's rate limit");
            }
            a = send(path, body);
            if (a.status() == 429) {
                notBefore.set(clock.instant().plus(reset(a)));
                return Answer.failed("Datadog's rate limit: still reached after waiting " + reset.toSeconds()
                        + "s (X-RateLimit-Reset)");
            }
        }
        return a;
    }

    /** The seconds X-RateLimit-Reset gives; without a readable one, MAX_WAIT. */
    private static Duration reset(Answer a) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(a.reset().strip())));
        } catch (RuntimeException e) {
            return MAX_WAIT;
        }
    }

    private Answer send(String path, String body) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("DD-API-KEY", keys.apiKey())
                .header("DD-APPLICATION-KEY", keys.applicationKey())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(resp.statusCode(), resp.body(),
                    resp.headers().firstValue("X-RateLimit-Reset").orElse(null), null, false);
        } catch (HttpTimeoutException e) {
            return Answer.failed("Datadog at " + base + " did not answer within " + timeout.toMillis() + "ms");
        } catch (IOException e) {
            return Answer.failed("cannot reach Datadog at " + base + ": " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.failed("interrupted while querying Datadog");
        }
    }
}
