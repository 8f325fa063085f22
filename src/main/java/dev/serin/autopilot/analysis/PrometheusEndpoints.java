package dev.serin.autopilot.analysis;

import dev.serin.api.v1alpha1.AnalysisSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which Prometheus a Canary's analysis (and its observed share) asks: its own {@code analysis.prometheus}, else
 * serin.analysis.prometheus.url; and whether Serin may call it: only serin.analysis.prometheus.url and the URLs under
 * serin.analysis.prometheus.allowed (a list of {@link UrlPrefix}es). With neither set no URL is allowed — otherwise
 * whoever may create a Canary could make Serin call any host and port and read back whether and how it answered.
 */
@ApplicationScoped
public class PrometheusEndpoints {
    /** No default URL, any URL allowed: for tests only (no configuration gives this). */
    public static final PrometheusEndpoints ANY = new PrometheusEndpoints(Optional.empty(), List.of(), true);

    private final Optional<String> defaultUrl;
    private final List<String> allowed;
    private final boolean anyUrl;

    @Inject
    public PrometheusEndpoints(@ConfigProperty(name = "serin.analysis.prometheus.url") Optional<String> defaultUrl,
            @ConfigProperty(name = "serin.analysis.prometheus.allowed") Optional<List<String>> allowed) {
        this(defaultUrl.map(String::strip).filter(s -> !s.isEmpty()),
                allowed.orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList(), false);
    }

    private PrometheusEndpoints(Optional<String> defaultUrl, List<String> allowed, boolean anyUrl) {
        this.defaultUrl = defaultUrl;
        this.allowed = allowed;
        this.anyUrl = anyUrl;
    }

    /** The URL to ask for this analysis; empty when neither the Canary nor the configuration names one. */
    public Optional<String> urlFor(AnalysisSpec spec) {
        if (spec != null && spec.prometheus != null && !spec.prometheus.isBlank()) {
            return Optional.of(spec.prometheus.strip());
        }
        return defaultUrl;
    }

    /** Whether Serin may query this URL: the default one, or one under an allowed prefix. */
    public boolean allowed(String url) {
        if (anyUrl) {
            return true;
        }
        if (url == null) {
            return false;
        }
        String u = url.strip();
        // the default as written is allowed even if UrlPrefix cannot parse it: the query then says what is wrong
        return defaultUrl.filter(d -> d.equals(u) || UrlPrefix.admits(d, u)).isPresent()
                || allowed.stream().anyMatch(prefix -> UrlPrefix.admits(prefix, u));
    }

    /** Why an analysis cannot be run: the reason and message of the Canary's Valid=False condition. */
    public record Refusal(String reason, String message) {
    }

    /** Why this analysis cannot be run; empty when it can. */
    public Optional<Refusal> refusal(AnalysisSpec spec) {
        if (spec != null && spec.datadog != null) {
            return Optional.empty(); // Datadog's analysis asks no Prometheus
        }
        Optional<String> url = urlFor(spec);
        if (url.isEmpty()) {
            return Optional.of(new Refusal("InvalidAutopilot", "spec.autopilot.analysis.prometheus (the Prometheus URL)"
                    + " is required when serin.analysis.prometheus.url is not set"));
        }
        if (!allowed(url.get())) {
            return Optional.of(new Refusal("PrometheusNotAllowed", "spec.autopilot.analysis.prometheus " + url.get()
                    + " is not allowed: Serin queries only serin.analysis.prometheus.url and the URLs under "
                    + "serin.analysis.prometheus.allowed" + (defaultUrl.isEmpty() && allowed.isEmpty()
                            ? ", and neither is set" : " (" + String.join(", ", admitted()) + ")")));
        }
        return Optional.empty();
    }

    private List<String> admitted() {
        return Stream.concat(defaultUrl.stream(), allowed.stream()).distinct().toList();
    }
}
