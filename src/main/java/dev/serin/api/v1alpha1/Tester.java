package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Requests that go to the canary whatever the weight: a header match or a cookie match, exactly one of them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.header) != has(self.cookie)",
        message = "a tester is either a header or a cookie match, e.g. {header: {name: x-canary, value: always}}")
public class Tester {
    @JsonPropertyDescription("A request header, e.g. {name: x-canary, value: always}.")
    public Header header;

    @JsonPropertyDescription("A cookie among the request's cookies, e.g. {name: canary, value: \"1\"}.")
    public Cookie cookie;

    public Tester() {
    }

    public static Tester header(String name, String value, boolean regex) {
        Tester t = new Tester();
        t.header = new Header();
        t.header.name = name;
        t.header.value = value;
        t.header.regex = regex ? Boolean.TRUE : null;
        return t;
    }

    public static Tester cookie(String name, String value) {
        Tester t = new Tester();
        t.cookie = new Cookie();
        t.cookie.name = name;
        t.cookie.value = value;
        return t;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Header {
        @Required
        @Pattern(Rules.HEADER_NAME_PATTERN)
        @Size(max = 256)
        @JsonPropertyDescription("Header name, lowercase (as both Istio and Gateway API accept it), e.g. x-canary.")
        public String name;

        @Required
        @Size(min = 1, max = 1024)
        @JsonPropertyDescription("The value, matched exactly; a regular expression (RE2) when regex is true.")
        public String value;

        @JsonPropertyDescription("value is a regular expression matched against the whole header value.")
        public Boolean regex;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Cookie {
        @Required
        @Pattern(Rules.COOKIE_NAME_PATTERN)
        @Size(max = 256)
        @JsonPropertyDescription("Cookie name, e.g. canary.")
        public String name;

        @Required
        @Pattern(Rules.COOKIE_VALUE_PATTERN)
        @Size(max = 1024)
        @JsonPropertyDescription("Cookie value, matched exactly, e.g. \"1\".")
        public String value;
    }
}
