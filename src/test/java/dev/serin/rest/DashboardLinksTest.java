package dev.serin.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serin.dashboard.DashboardLinkBuilder;
import dev.serin.dashboard.DashboardLinks;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DashboardLinksTest {
    @Test
    void fillsAndEncodesTheTemplate() {
        assertEquals(Optional.of("https://d.example/canary?ns=web&name=shop&version=v2"),
                DashboardLinks.link("https://d.example/canary?ns={namespace}&name={name}&version={version}", "web", "shop", "v2"));
        assertEquals(Optional.of("https://d.example/x?v=a%26b%3Dc%20d&n=n%2Fs"),
                DashboardLinks.link("https://d.example/x?v={version}&n={namespace}", "n/s", "x", "a&b=c d"));
        assertEquals(Optional.of("https://d.example/d/web/shop"), DashboardLinks.link("https://d.example/d/{namespace}/{name}", "web", "shop", null));
    }

    @Test
    void theReadmesDatadogExample() {
        // a Datadog dashboard's template variables are set by tpl_var_<name> in its URL
        assertEquals(Optional.of("https://app.datadoghq.com/dashboard/abc-def-ghi?tpl_var_kube_namespace=web"
                + "&tpl_var_kube_deployment=shop-canary&tpl_var_version=v2"),
                DashboardLinks.link("https://app.datadoghq.com/dashboard/abc-def-ghi?tpl_var_kube_namespace={namespace}"
                        + "&tpl_var_kube_deployment={name}-canary&tpl_var_version={version}", "web", "shop", "v2"));
    }

    @Test
    void noTemplateNoLink() {
        assertEquals(Optional.empty(), DashboardLinks.link(null, "web", "shop", "v2"));
        assertEquals(Optional.empty(), DashboardLinks.link("  ", "web", "shop", "v2"));
    }

    @Test
    void theExternalUrlLinksToSerinsOwnDashboardForTheCanary() {
        assertEquals(Optional.of("https://serin.example/ui/#web/shop"),
                DashboardLinks.uiLink("https://serin.example", "web", "shop"));
        assertEquals(Optional.of("https://serin.example/base/ui/#web/shop"),
                DashboardLinks.uiLink(" https://serin.example/base/ ", "web", "shop"));
        assertEquals(Optional.empty(), DashboardLinks.uiLink(" ", "web", "shop"));
    }

    @Test
    void aTemplateWinsOverTheExternalUrl() {
        String template = "https://d.example/d/{namespace}/{name}";
        String external = "https://serin.example";
        assertEquals(Optional.of("https://d.example/d/web/shop"),
                new DashboardLinkBuilder(Optional.of(template), Optional.of(external)).link("web", "shop", "v2"));
        assertEquals(Optional.of("https://serin.example/ui/#web/shop"),
                new DashboardLinkBuilder(Optional.empty(), Optional.of(external)).link("web", "shop", "v2"));
        assertEquals(Optional.empty(), new DashboardLinkBuilder(Optional.empty(), Optional.empty()).link("web", "shop", "v2"));
    }
}
