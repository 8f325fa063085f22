package dev.serin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The CRD in k8s/crd/ is what the generator makes from the Java types today. */
class CrdUpToDateTest {
    static final String FILE = "canaries.serin.dev-v1.yml";

    @Test
    void checkedInCrdMatchesTheGeneratedOne() throws Exception {
        Path generated = Path.of("target/classes/META-INF/fabric8", FILE);
        Path checkedIn = Path.of("k8s/crd", FILE);
        assertTrue(Files.exists(generated), "run mvn process-classes: " + generated + " is missing");
        assertEquals(Files.readString(generated), Files.readString(checkedIn),
                "k8s/crd/" + FILE + " is stale: cp " + generated + " " + checkedIn);
    }

    @Test
    void theSchemaBoundsTheWeightAndRequiresTargetAndWeight() throws Exception {
        String crd = Files.readString(Path.of("k8s/crd", FILE));
        assertTrue(crd.contains("maximum: 100.0"));
        assertTrue(crd.contains("minimum: 0.0"));
        assertTrue(crd.contains("- \"targetRef\"") && crd.contains("- \"weight\""));
        assertTrue(crd.contains("subresources:\n      status: {}"));
        assertTrue(crd.contains("required:\n        - \"spec\""), "spec is required at the root");
        assertTrue(crd.contains("rule: \"self.metadata.name.size() <= 56\""), "the name rule is on the root");
        assertTrue(crd.contains("maxItems: 50"), "steps are bounded, so the API server's CEL cost estimate accepts");
        assertTrue(crd.contains("pattern: \"^(([0-9]+([.][0-9]+)?(ms|s|m|h))+|[Pp][Tt]"), "durations: either form");
        assertTrue(crd.contains("maxLength: 63"));
    }
}
