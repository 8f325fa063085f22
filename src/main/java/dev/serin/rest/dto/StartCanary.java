package dev.serin.rest.dto;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "StartCanary", description = "Starts a canary of a Deployment")
public record StartCanary(
        @Schema(description = "Name of the Canary; default: the target's name", example = "web") String name,
        @Schema(required = true, description = "The stable Deployment in the same namespace", example = "web") String target,
        @Schema(description = "Subset label value of canary pods; default \"canary\"", example = "v2") String version,
        @Schema(description = "Containers whose image the canary replaces") List<ContainerImage> containers,
        @JsonDeserialize(using = StrictDecimalDeserializer.class)
        @Schema(type = SchemaType.NUMBER, minimum = "0", maximum = "100", defaultValue = "0",
                description = "Initial canary share in percent, at most 2 decimals", example = "5")
        BigDecimal weight) {
}
