package dev.serin.rest.dto;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "WeightChange", description = "The canary's new share of traffic")
public record WeightChange(
        @JsonDeserialize(using = StrictDecimalDeserializer.class)
        @Schema(required = true, type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.NUMBER,
                minimum = "0", maximum = "100", description = "Percent, 0..100, at most 2 decimals", example = "12.5")
        BigDecimal weight) {
}
