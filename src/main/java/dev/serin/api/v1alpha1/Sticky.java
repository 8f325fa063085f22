package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Keeps a user the weight sent to the canary there: canary responses set a cookie, and requests with it go there. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Sticky {
    @Required
    @Pattern(Rules.COOKIE_NAME_PATTERN)
    @Size(max = 256)
    @JsonPropertyDescription("Name of the cookie the canary's responses set, e.g. serin-canary.")
    public String cookie;

    @Required
    @Pattern(Rules.DURATION_PATTERN)
    @Size(max = 32)
    @ValidationRule(value = Rules.DURATION_ABOVE_ZERO, message = "maxAge must be a duration above zero, e.g. 1h or PT1H")
    @JsonPropertyDescription("How long the cookie keeps the user on the canary, e.g. 1h or PT1H.")
    public String maxAge;

    public Sticky() {
    }

    public Sticky(String cookie, String maxAge) {
        this.cookie = cookie;
        this.maxAge = maxAge;
    }
}
