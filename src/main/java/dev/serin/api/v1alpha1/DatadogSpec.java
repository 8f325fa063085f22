package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Datadog as the analysis' metric source; the keys are Serin's own (serin.analysis.datadog.secret), never the Canary's. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatadogSpec {
    @JsonPropertyDescription("Datadog site; default serin.analysis.datadog.site (datadoghq.com).")
    public Site site;

    /** Datadog's documented sites; the API is at https://api.&lt;site&gt;. */
    public enum Site {
        @JsonProperty("datadoghq.com")
        US1("datadoghq.com"),
        @JsonProperty("us3.datadoghq.com")
        US3("us3.datadoghq.com"),
        @JsonProperty("us5.datadoghq.com")
        US5("us5.datadoghq.com"),
        @JsonProperty("datadoghq.eu")
        EU1("datadoghq.eu"),
        @JsonProperty("ap1.datadoghq.com")
        AP1("ap1.datadoghq.com"),
        @JsonProperty("ap2.datadoghq.com")
        AP2("ap2.datadoghq.com"),
        @JsonProperty("ddog-gov.com")
        GOV("ddog-gov.com");

        private final String host;

        Site(String host) {
            this.host = host;
        }

        /** The site's domain, e.g. datadoghq.eu. */
        public String domain() {
            return host;
        }

        /** The site of that domain; empty for any other. */
        public static java.util.Optional<Site> of(String domain) {
            return java.util.Arrays.stream(values()).filter(s -> s.host.equals(domain)).findFirst();
        }
    }
}
