package dev.serin.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.autopilot.analysis.PromQl;
import dev.serin.autopilot.analysis.PrometheusEndpoints;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The dashboard's history with the observed share over time from Prometheus ({@code query_range} on Istio's
 * {@code istio_requests_total}, canary workload against canary + stable), when a Prometheus is known for the Canary
 * (its analysis.prometheus, else serin.analysis.prometheus.url) and serin.analysis.prometheus.allowed admits it.
 * Otherwise, or when Prometheus fails, what Serin recorded alone. Never quotes Prometheus' answer.
 */
@ApplicationScoped
public class ObservedShareRange {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final Duration WINDOW = Duration.ofMinutes(1);
    /** How far back the chart goes when Serin has recorded nothing older. */
    static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    static final Duration MAX_RANGE = Duration.ofDays(1);
    static final int MAX_SAMPLES = 240;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final PrometheusEndpoints endpoints;
    private final Clock clock;

    @Inject
    public ObservedShareRange(PrometheusEndpoints endpoints, Clock clock) {
        this(HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build(),
                endpoints, clock);
    }

    ObservedShareRange(HttpClient http, PrometheusEndpoints endpoints, Clock clock) {
        this.http = http;
        this.endpoints = endpoints;
        this.clock = clock;
    }

    public HistoryView history(Canary canary, List<HistoryPoint> recorded) {
        AnalysisSpec analysis = canary.getSpec() == null || canary.getSpec().autopilot == null ? null
                : canary.getSpec().autopilot.analysis;
        Optional<String> url = endpoints.urlFor(analysis);
        if (url.isEmpty()) {
            return new HistoryView("serin", recorded, null);
        }
        if (!endpoints.allowed(url.get())) {
            return new HistoryView("serin", recorded,
                    "Prometheus " + url.get() + " is not allowed by serin.analysis.prometheus.allowed");
        }
        Instant end = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant start = recorded.isEmpty() ? end.minus(DEFAULT_RANGE) : Instant.parse(recorded.get(0).time());
        if (start.isBefore(end.minus(MAX_RANGE))) {
            start = end.minus(MAX_RANGE);
        }
        long stepSeconds = Math.max(15, Duration.between(start, end).toSeconds() / MAX_SAMPLES);
        try {
            List<Sample> samples = query(url.get(), query(canary), start, end, stepSeconds);
            return new HistoryView("prometheus", merge(recorded, samples), null);
        } catch (RangeFailure e) {
            return new HistoryView("serin", recorded, e.getMessage());
        }
    }

    /** Percent of the requests Istio saw arrive at the canary, among those at the canary and the stable workload. */
    static String query(Canary canary) {
        String ns = PromQl.escape(canary.getMetadata().getNamespace());
        String canaryWorkload = canary.getMetadata().getName() + "-canary";
        String stable = canary.getSpec().targetRef == null ? "" : canary.getSpec().targetRef.name;
        String base = PromQl.REQUESTS_TOTAL + "{reporter=\"destination\",destination_workload_namespace=\"" + ns + "\",";
        String window = "[" + PromQl.duration(WINDOW) + "]";
        return "100 * sum(rate(" + base + "destination_workload=\"" + PromQl.escape(canaryWorkload) + "\"}" + window
                + ")) / sum(rate(" + base + "destination_workload=~\"" + PromQl.escape(literal(stable) + "|"
                + literal(canaryWorkload)) + "\"}" + window + "))";
    }

    /** A Deployment name as a regex matching just itself (names hold only [a-z0-9.-]; the dot is the one to quote). */
    private static String literal(String name) {
        return name.replace(".", "\\.");
    }

    record Sample(Instant time, double share) {
    }

    private List<Sample> query(String base, String promql, Instant start, Instant end, long step) throws RangeFailure {
        String b = base.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(b + "/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                    + "&start=" + start.getEpochSecond() + "&end=" + end.getEpochSecond() + "&step=" + step);
        } catch (IllegalArgumentException e) {
            throw new RangeFailure("bad Prometheus URL " + base);
        }
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RangeFailure("cannot reach Prometheus at " + b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RangeFailure("interrupted while asking Prometheus");
        } catch (RuntimeException e) {
            throw new RangeFailure("cannot query Prometheus at " + b);
        }
        if (response.statusCode() != 200) {
            throw new RangeFailure("Prometheus at " + b + " answered HTTP " + response.statusCode());
        }
        try {
            JsonNode root = JSON.readTree(response.body());
            if (!"success".equals(root.path("status").asText()) || !"matrix".equals(root.path("data").path("resultType").asText())) {
                throw new RangeFailure("Prometheus at " + b + " gave no range answer");
            }
            List<Sample> samples = new ArrayList<>();
            for (JsonNode series : root.path("data").path("result")) {
                for (JsonNode value : series.path("values")) {
                    double share = Double.parseDouble(value.path(1).asText());
                    if (Double.isFinite(share)) {
                        Instant at = Instant.ofEpochMilli(new BigDecimal(value.path(0).asText()).movePointRight(3).longValue());
                        samples.add(new Sample(at, BigDecimal.valueOf(share).setScale(2, java.math.RoundingMode.HALF_UP).doubleValue()));
                    }
                }
            }
            return samples;
        } catch (IOException | RuntimeException e) {
            throw new RangeFailure("Prometheus at " + b + " gave an answer that is not a range answer");
        }
    }

    /** Serin's points as they are, and each sample with the weights and phase in force at its time. */
    static List<HistoryPoint> merge(List<HistoryPoint> recorded, List<Sample> samples) {
        List<HistoryPoint> merged = new ArrayList<>(recorded);
        for (Sample s : samples) {
            HistoryPoint before = null;
            for (HistoryPoint p : recorded) {
                if (!Instant.parse(p.time()).isAfter(s.time())) {
                    before = p;
                }
            }
            merged.add(new HistoryPoint(s.time().toString(), before == null ? null : before.desiredWeight(),
                    before == null ? null : before.weight(), s.share(), before == null ? null : before.phase()));
        }
        merged.sort(Comparator.comparing(p -> Instant.parse(p.time())));
        return merged;
    }

    static final class RangeFailure extends Exception {
        RangeFailure(String message) {
            super(message, null, false, false);
        }
    }
}
