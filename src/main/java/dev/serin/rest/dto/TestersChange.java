package dev.serin.rest.dto;

import dev.serin.api.v1alpha1.Tester;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "TestersChange", description = "The canary's testers: requests matching any go to the canary whatever"
        + " the weight")
public record TestersChange(
        @Schema(required = true, description = "At most 8, each {header: {name, value, regex?}} or {cookie: {name,"
                + " value}}; [] removes them", example = "[{\"header\": {\"name\": \"x-canary\", \"value\": \"always\"}}]")
        List<Tester> testers) {
}
