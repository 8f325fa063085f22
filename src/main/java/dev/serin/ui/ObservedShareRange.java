package dev.serin.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.autopilot.analysis.PromQl;
import dev.serin.autopilot.analysis.PrometheusEndpoints;
import dev.serin.observed.ShareMeasurement;
import dev.serin.observed.WeightChange;
import dev.serin.reconcile.ResolvedCanary;
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
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The dashboard's history with the observed share over time from Prometheus, when a Prometheus is known for the
 * Canary (its analysis.prometheus, else serin.analysis.prometheus.url) and serin.analysis.prometheus.allowed admits
 * it. Each sample follows status.observed's rule with status.observed's query ({@link PromQl#requests}, canary and
 * stable workload): the share since the weight last changed, at most serin.observed.window, none below
 * serin.observed.min-requests. A {@code query_range} answers one window for all its samples, so samples are grouped
 * by window: the full window, and the whole steps since a change for the samples within a window of it. The chart
 * spans the Canary's life (at most a day), on a grid of whole steps, so every replica asks for the same samples.
 * Otherwise, or when Prometheus fails, what Serin recorded alone. Never quotes Prometheus' answer.
 */
@ApplicationScoped
public class ObservedShareRange {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** How far back the chart goes when neither the Canary's creation nor a recorded point says. */
    static final Duration DEFAULT_RANGE = Duration.ofHours(1);
    static final Duration MAX_RANGE = Duration.ofDays(1);
    static final int MAX_SAMPLES = 240;
    static final long MIN_STEP_SECONDS = 15;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final PrometheusEndpoints endpoints;
    private final Clock clock;
    private final Duration window;
    private final long minRequests;

    @Inject
    public ObservedShareRange(PrometheusEndpoints endpoints, Clock clock,
            @ConfigProperty(name = "serin.observed.window", defaultValue = "1m") Duration window,
            @ConfigProperty(name = "serin.observed.min-requests", defaultValue = "100") long minRequests) {
        this(HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build(),
                endpoints, clock, window, minRequests);
    }

    ObservedShareRange(HttpClient http, PrometheusEndpoints endpoints, Clock clock, Duration window, long minRequests) {
        this.http = http;
        this.endpoints = endpoints;
        this.clock = clock;
        this.window = window;
        this.minRequests = minRequests;
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
        Instant start = start(canary, recorded, end);
        long step = Math.max(MIN_STEP_SECONDS, Duration.between(start, end).toSeconds() / MAX_SAMPLES);
        ResolvedCanary resolved = ResolvedCanary.of(canary);
        try {
            List<Sample> samples = new ArrayList<>();
            for (var group : byWindow(start, end, step, changes(canary, recorded)).entrySet()) {
                Duration d = group.getKey();
                List<Instant> times = group.getValue();
                Instant first = times.get(0);
                Instant last = times.get(times.size() - 1);
                Map<Instant, Double> canaryCounts = query(url.get(),
                        PromQl.requests(resolved.namespace(), resolved.deploymentName(), null, d), first, last, step);
                Map<Instant, Double> stableCounts = query(url.get(),
                        PromQl.requests(resolved.namespace(), resolved.target() == null ? "" : resolved.target(), null, d),
                        first, last, step);
                for (Instant t : times) {
                    Double share = ShareMeasurement.of(canaryCounts.getOrDefault(t, 0.0),
                            stableCounts.getOrDefault(t, 0.0), minRequests, PromQl.duration(d), t).share;
                    if (share != null) {
                        samples.add(new Sample(t, share));
                    }
                }
            }
            samples.sort(Comparator.comparing(Sample::time));
            return new HistoryView("prometheus", merge(recorded, samples), null);
        } catch (RangeFailure e) {
            return new HistoryView("serin", recorded, e.getMessage());
        }
    }

    /** The Canary's creation (the same on every replica), else the oldest recorded point; at most a day back. */
    static Instant start(Canary canary, List<HistoryPoint> recorded, Instant end) {
        Instant start = parse(canary.getMetadata().getCreationTimestamp());
        if (start == null) {
            start = recorded.isEmpty() ? end.minus(DEFAULT_RANGE) : Instant.parse(recorded.get(0).time());
        }
        return start.isBefore(end.minus(MAX_RANGE)) ? end.minus(MAX_RANGE) : start;
    }

    /**
     * The sample times on the grid of whole steps from start to end, by the window status.observed's rule gives each
     * (measured in whole steps); none for a time within a step of a change (nothing to measure yet).
     */
    SortedMap<Duration, List<Instant>> byWindow(Instant start, Instant end, long step, SortedMap<Instant, WeightChange> changes) {
        SortedMap<Duration, List<Instant>> byWindow = new TreeMap<>();
        long first = Math.floorDiv(start.getEpochSecond() + step - 1, step) * step;
        for (Instant t = Instant.ofEpochSecond(first); !t.isAfter(end); t = t.plusSeconds(step)) {
            SortedMap<Instant, WeightChange> before = changes.headMap(t.plusNanos(1));
            WeightChange since = before.isEmpty() ? WeightChange.UNKNOWN : before.get(before.lastKey());
            Duration d = ShareMeasurement.stretch(since, t, window, Duration.ofSeconds(step));
            if (!d.isZero()) {
                byWindow.computeIfAbsent(d, k -> new ArrayList<>()).add(t);
            }
        }
        return byWindow;
    }

    /** Every weight change Serin knows of: those its points recorded, and the Canary's latest. */
    static SortedMap<Instant, WeightChange> changes(Canary canary, List<HistoryPoint> recorded) {
        SortedMap<Instant, WeightChange> changes = new TreeMap<>();
        for (HistoryPoint p : recorded) {
            add(changes, new WeightChange(p.weight(), p.weightChangedAt()));
        }
        add(changes, WeightChange.of(canary.getStatus()));
        return changes;
    }

    private static void add(SortedMap<Instant, WeightChange> changes, WeightChange change) {
        if (change.instant() != null) {
            changes.put(change.instant(), change);
        }
    }

    private static Instant parse(String time) {
        try {
            return time == null ? null : Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    record Sample(Instant time, double share) {
    }

    /** The value at each evaluation time (summed over series, of which sum() leaves one). */
    private Map<Instant, Double> query(String base, String promql, Instant start, Instant end, long step)
            throws RangeFailure {
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
            Map<Instant, Double> values = new HashMap<>();
            for (JsonNode series : root.path("data").path("result")) {
                for (JsonNode value : series.path("values")) {
                    double v = Double.parseDouble(value.path(1).asText());
                    if (Double.isFinite(v)) {
                        Instant at = Instant.ofEpochMilli(new BigDecimal(value.path(0).asText()).movePointRight(3).longValue());
                        values.merge(at, v, Double::sum);
                    }
                }
            }
            return values;
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
            merged.add(before == null ? new HistoryPoint(s.time().toString(), null, null, s.share(), null, null)
                    : new HistoryPoint(s.time().toString(), before.desiredWeight(), before.weight(), s.share(),
                            before.phase(), before.weightChangedAt()));
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
