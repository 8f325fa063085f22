package dev.serin.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The reconcile speaks to routers only through {@link dev.serin.traffic.TrafficRouter}: no source under
 * reconcile/ (comments included) names a dialect's kinds, fields, API groups or reasons, nor imports a router's
 * package. A dialect's words come from its router.
 */
class ReconcileIsMeshNeutralTest {
    private static final Path RECONCILE = Path.of("src/main/java/dev/serin/reconcile");
    private static final List<String> WORDS = List.of("virtualservice", "destinationrule", "httproute", "subset",
            "networking.istio.io", "gateway.networking.k8s.io", "norouteforhost");
    private static final List<String> PACKAGES = List.of("dev.serin.traffic.istio", "dev.serin.traffic.gatewayapi");

    @Test
    void noSourceUnderReconcileNamesADialect() {
        List<Path> sources = sources();
        assertFalse(sources.isEmpty(), "no sources under " + RECONCILE.toAbsolutePath());
        List<String> found = new ArrayList<>();
        for (Path source : sources) {
            List<String> lines = read(source);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String lower = line.toLowerCase(Locale.ROOT);
                for (String word : WORDS) {
                    if (lower.contains(word)) {
                        found.add(RECONCILE.relativize(source) + ":" + (i + 1) + " names " + word + ": " + line.strip());
                    }
                }
                for (String pkg : PACKAGES) {
                    if (line.strip().startsWith("import") && line.contains(pkg)) {
                        found.add(RECONCILE.relativize(source) + ":" + (i + 1) + " imports " + pkg);
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    private static List<Path> sources() {
        try (Stream<Path> walk = Files.walk(RECONCILE)) {
            return walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> read(Path source) {
        try {
            return Files.readAllLines(source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
