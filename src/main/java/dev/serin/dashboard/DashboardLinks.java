package dev.serin.dashboard;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Builds a canary's dashboard link from a URL template such as
 * {@code https://dashboards.example/canary?ns={namespace}&name={name}&version={version}}.
 * Pure: no configuration, no I/O. {@link DashboardLinkBuilder} is the CDI wrapper that reads the template from config.
 */
public final class DashboardLinks {
    private DashboardLinks() {
    }

    /**
     * The link with {namespace}, {name} and {version} replaced by the URL-encoded values (spaces as %20, so the
     * result is valid in a path as well as in a query). Empty when the template is null or blank.
     */
    public static Optional<String> link(String template, String namespace, String name, String version) {
        if (template == null || template.isBlank()) {
            return Optional.empty();
        }
        String link = template.strip()
                .replace("{namespace}", encode(namespace))
                .replace("{name}", encode(name))
                .replace("{version}", encode(version));
        return Optional.of(link);
    }

    /**
     * The page of Serin's own dashboard for one Canary: {@code <externalUrl>/ui/#<namespace>/<name>} (URL-encoded
     * values; the fragment selects the Canary in the page). Empty when the URL is null or blank.
     */
    public static Optional<String> uiLink(String externalUrl, String namespace, String name) {
        if (externalUrl == null || externalUrl.isBlank()) {
            return Optional.empty();
        }
        String base = externalUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return Optional.of(base + "/ui/#" + encode(namespace) + "/" + encode(name));
    }

    private static String encode(String value) {
        if (value == null) {
            return "";
        }
        // URLEncoder does form encoding; '+' for a space is only right in a query, %20 is right everywhere.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
