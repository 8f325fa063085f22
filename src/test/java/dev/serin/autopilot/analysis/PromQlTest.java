package dev.serin.autopilot.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PromQlTest {
    private static final String SEL = "{reporter=\"destination\",destination_workload_namespace=\"web\","
            + "destination_workload=\"api-canary\",destination_version=\"v2\"}";
    private static final String SEL_5XX = "{reporter=\"destination\",destination_workload_namespace=\"web\","
            + "destination_workload=\"api-canary\",destination_version=\"v2\",response_code=~\"5..\"}";

    @Test
    void requests() {
        assertEquals("sum(increase(istio_requests_total" + SEL + "[5m]))",
                PromQl.requests("web", "api-canary", "v2", Duration.ofMinutes(5)));
    }

    @Test
    void successRate() {
        assertEquals("100 * (1 - (sum(increase(istio_requests_total" + SEL_5XX + "[30s])) or vector(0))"
                        + " / sum(increase(istio_requests_total" + SEL + "[30s])))",
                PromQl.successRate("web", "api-canary", "v2", Duration.ofSeconds(30)));
    }

    @Test
    void latencyP99() {
        assertEquals("histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket" + SEL
                        + "[90s])))",
                PromQl.latencyP99("web", "api-canary", "v2", Duration.ofSeconds(90)));
    }

    @Test
    void withoutVersionAnyVersionCounts() {
        assertEquals("sum(increase(istio_requests_total{reporter=\"destination\",destination_workload_namespace=\"web\","
                        + "destination_workload=\"api-canary\"}[1h]))",
                PromQl.requests("web", "api-canary", null, Duration.ofHours(1)));
        assertEquals(PromQl.requests("web", "api-canary", null, Duration.ofHours(1)),
                PromQl.requests("web", "api-canary", " ", Duration.ofHours(1)));
    }

    @Test
    void labelValuesAreEscaped() {
        assertEquals("a\\\"b\\\\c\\nd", PromQl.escape("a\"b\\c\nd"));
        String q = PromQl.requests("we\"b", "x\\y", "v\"2", Duration.ofMinutes(1));
        assertEquals("sum(increase(istio_requests_total{reporter=\"destination\","
                + "destination_workload_namespace=\"we\\\"b\",destination_workload=\"x\\\\y\","
                + "destination_version=\"v\\\"2\"}[1m]))", q);
    }

    @Test
    void windowsArePrometheusDurations() {
        assertEquals("5m", PromQl.duration(Duration.ofSeconds(300)));
        assertEquals("5m", PromQl.duration(Duration.ofMinutes(5)));
        assertEquals("90s", PromQl.duration(Duration.ofSeconds(90)));
        assertEquals("2h", PromQl.duration(Duration.ofHours(2)));
        assertEquals("1d", PromQl.duration(Duration.ofHours(24)));
        assertEquals("61m", PromQl.duration(Duration.ofMinutes(61)));
        assertEquals("1500ms", PromQl.duration(Duration.ofMillis(1500)));
        assertEquals("30s", PromQl.duration(Duration.ofSeconds(30).plusNanos(5)));
        assertThrows(IllegalArgumentException.class, () -> PromQl.duration(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> PromQl.duration(Duration.ofSeconds(-1)));
    }

    @Test
    void placeholdersInUserQueries() {
        String q = "sum(rate(my_errors{namespace=\"{{namespace}}\",app=\"{{ workload }}\",v=\"{{version}}\"}[{{window}}]))"
                + " > {{other}}";
        assertEquals("sum(rate(my_errors{namespace=\"web\",app=\"api-canary\",v=\"v\\\"2\"}[2m])) > {{other}}",
                PromQl.expand(q, "web", "api-canary", "v\"2", Duration.ofMinutes(2)));
        assertEquals("up", PromQl.expand("up", "web", "api-canary", null, Duration.ofMinutes(2)));
        assertEquals("x{v=\"\"}", PromQl.expand("x{v=\"{{version}}\"}", "web", "w", null, Duration.ofMinutes(2)));
        // a replacement with $ or \ is taken literally
        assertEquals("x{a=\"$1\\\\\"}", PromQl.expand("x{a=\"{{workload}}\"}", "n", "$1\\", null, Duration.ofMinutes(1)));
    }
}
