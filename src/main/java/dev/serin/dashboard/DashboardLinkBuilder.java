package dev.serin.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Dashboard links from the configured template {@code serin.dashboard.url-template}; without one, Serin's own
 * dashboard at {@code serin.ui.external-url} (the address users reach Serin at); empty when neither is set.
 */
@ApplicationScoped
public class DashboardLinkBuilder {
    private final Optional<String> template;
    private final Optional<String> externalUrl;

    public DashboardLinkBuilder(@ConfigProperty(name = "serin.dashboard.url-template") Optional<String> template,
            @ConfigProperty(name = "serin.ui.external-url") Optional<String> externalUrl) {
        this.template = template.filter(t -> !t.isBlank());
        this.externalUrl = externalUrl;
    }

    public Optional<String> link(String namespace, String name, String version) {
        if (template.isPresent()) {
            return DashboardLinks.link(template.get(), namespace, name, version);
        }
        return externalUrl.flatMap(u -> DashboardLinks.uiLink(u, namespace, name));
    }
}
