package dev.serin.autopilot.analysis;

import dev.serin.api.v1alpha1.DatadogSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Analysis from Datadog, for a Canary with {@code analysis.datadog} ({@link DatadogAnalysis} has the rules). The
 * site is the Canary's {@code analysis.datadog.site}, one of Datadog's documented sites (the CRD's enum), else
 * serin.analysis.datadog.site; the API is {@code https://api.<site>}, so no Canary can make Serin send its keys to
 * another host (serin.analysis.datadog.base-url replaces it, for tests). The window ends one rollup (the judge's step)
 * before the analysis time: Datadog's last bucket is still filling. Never throws: missing keys, refused keys, an
 * unreachable Datadog or a rate limit make the metrics INCONCLUSIVE with the reason.
 */
@ApplicationScoped
@Typed(DatadogAnalysisProvider.class) // not the AnalysisProvider bean: MetricStepAnalysis picks it for analysis.datadog
public class DatadogAnalysisProvider implements AnalysisProvider {
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    public static final String DEFAULT_SITE = "datadoghq.com";

    private final Supplier<DatadogKeys.Read> keys;
    private final String where;
    private final String defaultSite;
    private final Optional<URI> baseUrl;
    private final Clock clock;
    private final DatadogApi.Sleeper sleeper;
    private final HttpClient http;
    private final AtomicReference<Instant> notBefore = new AtomicReference<>();

    @Inject
    public DatadogAnalysisProvider(DatadogKeys keys,
            @ConfigProperty(name = "serin.analysis.datadog.site", defaultValue = DEFAULT_SITE) String defaultSite,
            @ConfigProperty(name = "serin.analysis.datadog.base-url") Optional<String> baseUrl, Clock clock) {
        this(keys::read, keys.where(), defaultSite, baseUrl, clock, d -> Thread.sleep(d.toMillis()));
    }

    DatadogAnalysisProvider(Supplier<DatadogKeys.Read> keys, String where, String defaultSite, Optional<String> baseUrl,
            Clock clock, DatadogApi.Sleeper sleeper) {
        this.keys = keys;
        this.where = where;
        this.defaultSite = defaultSite.strip();
        this.baseUrl = baseUrl.map(String::strip).filter(s -> !s.isEmpty()).map(URI::create);
        this.clock = clock;
        this.sleeper = sleeper;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The API's base for a Canary's site (null: the default site). */
    URI base(DatadogSpec.Site site) {
        return baseUrl.orElseGet(() -> DatadogApi.siteUrl(site != null ? site
                : DatadogSpec.Site.of(defaultSite).orElseThrow(() -> new IllegalArgumentException(
                        "serin.analysis.datadog.site " + defaultSite + " is not one of Datadog's documented sites"))));
    }

    @Override
    public AnalysisOutcome analyze(AnalysisRequest request) {
        URI base;
        try {
            base = base(request.spec().datadog == null ? null : request.spec().datadog.site);
        } catch (IllegalArgumentException e) {
            return unanswered(request, e.getMessage());
        }
        DatadogKeys.Read read = keys.get();
        if (read.keys() == null) {
            return unanswered(request, read.problem());
        }
        DatadogApi api = new DatadogApi(http, TIMEOUT, base, read.keys(), clock, sleeper, notBefore);
        Duration step = JudgeSettings.of(request.spec()).step();
        Instant to = request.at().minus(step);
        Instant from = to.minus(request.window());
        return DatadogAnalysis.evaluate(request, new DatadogAnalysis.Queries() {
            @Override
            public QueryResult scalar(String query, String aggregator) {
                return named(api.scalar(query, aggregator, from, to));
            }

            @Override
            public RangeResult timeseries(String query) {
                RangeResult r = api.timeseries(query, from, to, step);
                return r instanceof RangeResult.Failed f && f.message().startsWith("Datadog refused the keys")
                        ? new RangeResult.Failed(f.message() + " (Secret " + where + ")", f.unreachable()) : r;
            }
        });
    }

    /** A refusal of the keys names where they come from. */
    private QueryResult named(QueryResult r) {
        return r instanceof QueryResult.Failed f && f.message().startsWith("Datadog refused the keys")
                ? new QueryResult.Failed(f.message() + " (Secret " + where + ")", f.unreachable()) : r;
    }

    private static AnalysisOutcome unanswered(AnalysisRequest request, String why) {
        return DatadogAnalysis.evaluate(request, new DatadogAnalysis.Queries() {
            @Override
            public QueryResult scalar(String query, String aggregator) {
                return new QueryResult.Failed(why, true);
            }

            @Override
            public RangeResult timeseries(String query) {
                return new RangeResult.Failed(why, true);
            }
        });
    }
}
