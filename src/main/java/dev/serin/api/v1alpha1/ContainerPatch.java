package dev.serin.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerPatch {
    @Required
    public String name;
    public String image;
    public List<EnvVar> env;

    public ContainerPatch() {
    }

    public ContainerPatch(String name, String image) {
        this.name = name;
        this.image = image;
    }
}
