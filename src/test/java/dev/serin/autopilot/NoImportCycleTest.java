package dev.serin.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The autopilot and the observed-share measurement depend on the reconciler (AutopilotPolicy, ObservedShareSource),
 * never the other way round.
 */
class NoImportCycleTest {
    @Test
    void reconcileUsesNothingFromAutopilotOrObserved() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/serin/reconcile"))) {
            List<String> offenders = files.filter(f -> {
                try {
                    return Files.readAllLines(f).stream().anyMatch(line -> !line.trim().startsWith("*")
                            && !line.trim().startsWith("//") && (line.contains("dev.serin.autopilot") || line.contains("dev.serin.observed")));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).map(f -> f.getFileName().toString()).sorted().toList();
            assertEquals(List.of(), offenders);
        }
    }
}
