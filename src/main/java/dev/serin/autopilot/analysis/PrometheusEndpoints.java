package dev.serin.autopilot.analysis;

import dev.serin.api.v1alpha1.AnalysisSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Which Prometheus a Canary's analysis asks: its own {@code analysis.prometheus}, else serin.analysis.prometheus.url;
 * and whether Serin may call it: serin.analysis.prometheus.allowed, a list of {@link UrlPrefix}es (empty: any URL).
 */
@ApplicationScoped
public class PrometheusEndpoints {
    /** No default URL, any URL allowed. */
    public static final PrometheusEndpoints ANY = new PrometheusEndpoints(Optional.empty(), Optional.empty());

    private final Optional<String> defaultUrl;
    private final List<String> allowed;

    @Inject
    public PrometheusEndpoints(@ConfigProperty(name = "serin.analysis.prometheus.url") Optional<String> defaultUrl,
            @ConfigProperty(name = "serin.analysis.prometheus.allowed") Optional<List<String>> allowed) {
        this.defaultUrl = defaultUrl.map(String::strip).filter(s -> !s.isEmpty());
        this.allowed = allowed.orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The URL to ask for this analysis; empty when neither the Canary nor the configuration names one. */
    public Optional<String> urlFor(AnalysisSpec spec) {
        if (spec != null && spec.prometheus != null && !spec.prometheus.isBlank()) {
            return Optional.of(spec.prometheus.strip());
        }
        return defaultUrl;
    }

    public boolean allowed(String url) {
        return allowed.isEmpty() || allowed.stream().anyMatch(prefix -> UrlPrefix.admits(prefix, url));
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
                    + " is not under any URL in serin.analysis.prometheus.allowed"));
        }
        return Optional.empty();
    }
}
