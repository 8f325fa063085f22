package dev.serin.ui;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A Canary's weights at one moment, as the dashboard's chart draws them. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(name = "HistoryPoint")
public record HistoryPoint(
        @Schema(description = "RFC 3339") String time,
        @Schema(description = "spec.weight, percent") Double desiredWeight,
        @Schema(description = "status.weight: the weight applied to traffic, percent") Double weight,
        @Schema(description = "status.observed.share: the share of requests the canary really got, percent; null when unknown") Double observedShare,
        @Schema(description = "status.phase") String phase,
        @Schema(description = "status.weightChangedAt: when the applied weight last changed (RFC 3339)") String weightChangedAt) {

    /** Same values, whatever the time. */
    boolean sameAs(HistoryPoint other) {
        return other != null && java.util.Objects.equals(desiredWeight, other.desiredWeight)
                && java.util.Objects.equals(weight, other.weight)
                && java.util.Objects.equals(observedShare, other.observedShare)
                && java.util.Objects.equals(phase, other.phase)
                && java.util.Objects.equals(weightChangedAt, other.weightChangedAt);
    }
}
