package dev.serin.ui;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A Canary's weights over time, oldest first, and where they come from. */
@Schema(name = "History")
public record HistoryView(
        @Schema(description = "serin: recorded by this Serin since it started (in memory); prometheus: the same, "
                + "with the observed share over that time from Prometheus' query_range") String source,
        List<HistoryPoint> points,
        @Schema(description = "why Prometheus was not used although one is known; null otherwise") String message) {
}
