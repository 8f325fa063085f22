package dev.serin.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Dashboard links from the configured template {@code serin.dashboard.url-template}; empty when none is set. */
@ApplicationScoped
public class DashboardLinkBuilder {
    private final Optional<String> template;

    public DashboardLinkBuilder(@ConfigProperty(name = "serin.dashboard.url-template") Optional<String> template) {
        this.template = template;
    }

    public Optional<String> link(String namespace, String name, String version) {
        return template.flatMap(t -> DashboardLinks.link(t, namespace, name, version));
    }
}
