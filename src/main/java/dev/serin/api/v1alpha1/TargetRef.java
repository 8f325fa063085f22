package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TargetRef {
    @Required
    public String name;

    public TargetRef() {
    }

    public TargetRef(String name) {
        this.name = name;
    }
}
