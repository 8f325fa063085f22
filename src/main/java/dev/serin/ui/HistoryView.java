package dev.serin.ui;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A Canary's weights over time, oldest first, and where they come from. */
@Schema(name = "History")
public record HistoryView(
        @Schema(description = "serin: recorded by this Serin since it started (in memory)") String source,
        List<HistoryPoint> points) {
}
