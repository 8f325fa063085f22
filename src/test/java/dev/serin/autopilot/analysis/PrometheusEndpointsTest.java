package dev.serin.autopilot.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.AnalysisSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** serin.analysis.prometheus.allowed and serin.analysis.prometheus.url. */
class PrometheusEndpointsTest {
    @Test
    void aPrefixMatchesSchemeHostAndPortExactlyAndThePathByWholeSegments() {
        assertTrue(UrlPrefix.admits("http://prom", "http://prom"));
        assertTrue(UrlPrefix.admits("http://prom", "http://prom/"));
        assertTrue(UrlPrefix.admits("http://prom", "http://prom:80/x"));
        assertTrue(UrlPrefix.admits("http://prom/", "http://PROM/api"));
        assertTrue(UrlPrefix.admits("https://prom:443/p", "https://prom/p/q"));
        assertFalse(UrlPrefix.admits("http://prom", "http://prom.evil"));
        assertFalse(UrlPrefix.admits("http://prom", "http://prom.evil/"));
        assertFalse(UrlPrefix.admits("http://prom", "https://prom"));
        assertFalse(UrlPrefix.admits("http://prom", "http://prom:8080"));
        assertFalse(UrlPrefix.admits("http://prom:9090", "http://prom"));
        assertFalse(UrlPrefix.admits("http://prom/a", "http://prom/ab"));
        assertFalse(UrlPrefix.admits("http://prom/a", "http://prom/"));
        assertFalse(UrlPrefix.admits("http://prom", "http://prom@evil"));
        assertFalse(UrlPrefix.admits("http://prom", "http://evil@prom"));
        assertFalse(UrlPrefix.admits("http://prom", "http://prom/?x=1"));
        assertFalse(UrlPrefix.admits("http://prom", "ftp://prom"));
        assertFalse(UrlPrefix.admits("http://prom", "not a url"));
    }

    @Test
    void anUrlOutsideTheAllowListIsRefusedAsPrometheusNotAllowed() {
        PrometheusEndpoints endpoints = new PrometheusEndpoints(Optional.empty(),
                Optional.of(List.of("http://prometheus.istio-system:9090", " https://thanos.example/q ")));
        assertEquals(Optional.empty(), endpoints.refusal(spec("http://prometheus.istio-system:9090")));
        assertEquals(Optional.empty(), endpoints.refusal(spec("https://thanos.example/q/tenant")));
        var refusal = endpoints.refusal(spec("http://169.254.169.254/latest"));
        assertTrue(refusal.isPresent());
        assertEquals("PrometheusNotAllowed", refusal.get().reason());
        assertEquals("PrometheusNotAllowed", endpoints.refusal(spec("http://prometheus.istio-system:9090.evil")).get().reason());
    }

    @Test
    void nothingConfiguredAdmitsNoUrl() {
        PrometheusEndpoints none = new PrometheusEndpoints(Optional.empty(), Optional.empty());
        for (String url : List.of("http://anything:1234", "http://169.254.169.254/latest", "http://localhost:9090")) {
            assertFalse(none.allowed(url), url);
            assertEquals("PrometheusNotAllowed", none.refusal(spec(url)).orElseThrow().reason(), url);
        }
        assertFalse(new PrometheusEndpoints(Optional.of(" "), Optional.of(List.of(" ", ""))).allowed("http://prom"));
    }

    @Test
    void theDefaultUrlIsAdmittedWithoutAnAllowList() {
        PrometheusEndpoints onlyDefault = new PrometheusEndpoints(Optional.of("http://prom:9090"), Optional.empty());
        assertTrue(onlyDefault.allowed("http://prom:9090"));
        assertTrue(onlyDefault.allowed("http://prom:9090/"));
        assertEquals(Optional.empty(), onlyDefault.refusal(spec(null)));
        assertEquals(Optional.empty(), onlyDefault.refusal(spec("http://prom:9090")));
        for (String other : List.of("http://prom:9091", "http://prom.evil:9090", "https://prom:9090", "http://other")) {
            var refusal = onlyDefault.refusal(spec(other));
            assertEquals("PrometheusNotAllowed", refusal.orElseThrow().reason(), other);
            assertTrue(refusal.get().message().contains("serin.analysis.prometheus.url"), refusal.get().message());
        }
    }

    @Test
    void theDefaultUrlAndTheAllowListAreAdmittedTogether() {
        PrometheusEndpoints both = new PrometheusEndpoints(Optional.of("http://prom:9090"),
                Optional.of(List.of("https://thanos.example/q")));
        assertTrue(both.allowed("http://prom:9090"));
        assertTrue(both.allowed("https://thanos.example/q/tenant"));
        assertFalse(both.allowed("https://thanos.example/other"));
        assertFalse(both.allowed("http://prom:9091"));
    }

    @Test
    void theDefaultUrlIsUsedWhenTheCanaryNamesNone() {
        PrometheusEndpoints withDefault = new PrometheusEndpoints(Optional.of("http://prom:9090"),
                Optional.of(List.of("http://prom:9090")));
        assertEquals(Optional.of("http://prom:9090"), withDefault.urlFor(spec(null)));
        assertEquals(Optional.of("http://prom:9090"), withDefault.urlFor(spec(" ")));
        assertEquals(Optional.empty(), withDefault.refusal(spec(null)));
        assertEquals(Optional.of("http://other"), withDefault.urlFor(spec("http://other")));
        var none = new PrometheusEndpoints(Optional.empty(), Optional.empty()).refusal(spec(null));
        assertEquals("InvalidAutopilot", none.get().reason());
    }

    // What PrometheusAllowListTest checked on a running Serin under its own profile (url = the in-cluster Prometheus,
    // allowed = a Thanos path), one method per scenario it had.
    static final String PROMETHEUS = "http://prometheus.istio-system:9090";
    static final String THANOS = "https://thanos.example/query";

    static PrometheusEndpoints configured() {
        return new PrometheusEndpoints(Optional.of(PROMETHEUS), Optional.of(List.of(THANOS)));
    }

    @Test
    void aCanaryNamingNoPrometheusUsesTheDefault() {
        assertEquals(Optional.of(PROMETHEUS), configured().urlFor(spec(null)));
        assertEquals(Optional.empty(), configured().refusal(spec(null)));
    }

    /** The default and URLs under the listed path may be named; any other host, port or path is PrometheusNotAllowed. */
    @Test
    void theDefaultAndTheListedUrlsMayBeNamed() {
        PrometheusEndpoints configured = configured();
        for (String allowed : List.of(PROMETHEUS, THANOS + "/tenant-a")) {
            assertEquals(Optional.empty(), configured.refusal(spec(allowed)), allowed);
        }
        for (String other : List.of(PROMETHEUS + ".evil.example", "http://prometheus.istio-system:9091",
                "http://169.254.169.254/latest", "https://thanos.example/other")) {
            assertEquals("PrometheusNotAllowed", configured.refusal(spec(other)).orElseThrow().reason(), other);
        }
    }

    static AnalysisSpec spec(String url) {
        AnalysisSpec s = new AnalysisSpec();
        s.prometheus = url;
        return s;
    }
}
