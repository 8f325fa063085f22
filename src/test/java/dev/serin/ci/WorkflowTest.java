package dev.serin.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * .github/workflows/ci.yml is valid YAML whose push job runs .ci/run on Debian bookworm and whose tag job builds,
 * pushes and publishes the image k8s/ names. Plain JUnit: nothing here runs GitHub Actions.
 */
class WorkflowTest {

    private static final Path WORKFLOW = Path.of(".github/workflows/ci.yml");
    private static final Pattern USES = Pattern.compile("uses:\\s*(\\S+)(.*)");
    private static final Pattern PINNED = Pattern.compile("[\\w.-]+/[\\w.-]+@[0-9a-f]{40}");

    @Test
    void everyPushRunsCiRunInADebianBookwormContainer() throws IOException {
        JsonNode wf = workflow();
        assertTrue(wf.path("on").path("push").has("branches"), "runs on pushes to branches");
        JsonNode test = wf.path("jobs").path("test");
        assertFalse(test.has("if"), "the test job runs on every push");
        JsonNode container = test.path("container");
        assertEquals("debian:bookworm", container.isTextual() ? container.asText() : container.path("image").asText());
        assertTrue(runs(test).stream().anyMatch(r -> r.trim().equals(".ci/run")), "a step runs .ci/run");
    }

    @Test
    void aVersionTagBuildsAndPushesTheImageAndAttachesTheManifest() throws IOException {
        JsonNode wf = workflow();
        assertTrue(wf.path("on").path("push").path("tags").toString().contains("v*"), "runs on v* tags");
        JsonNode release = wf.path("jobs").path("release");
        assertTrue(release.path("if").asText().contains("refs/tags/v"), "release job only on a version tag");
        assertEquals("test", release.path("needs").asText(), "release only after the tests pass");
        assertEquals("write", release.path("permissions").path("packages").asText(), "packages: write");
        assertEquals("write", release.path("permissions").path("contents").asText(), "contents: write");

        String script = String.join("\n", runs(release));
        assertTrue(script.contains("mvn -B package") && script.contains("-Pimage")
                && script.contains("-Dquarkus.container-image.push=true"), "builds and pushes the image with jib");
        assertTrue(script.contains("-Dgit.revision=\"$GITHUB_SHA\""), "passes the revision label");
        assertTrue(script.contains("kubectl kustomize"), "renders the install manifest");
        // the kustomize override must replace the image k8s/deployment.yaml names
        assertTrue(script.contains("- name: ghcr.io/serin-dev/serin\n"), "images: override of ghcr.io/serin-dev/serin");
        assertTrue(Files.readString(Path.of("k8s/deployment.yaml")).contains("image: ghcr.io/serin-dev/serin:"));
        assertTrue(script.contains("gh release upload"), "attaches the manifest to the release");
    }

    @Test
    void everyActionIsPinnedByCommitShaWithItsVersionInAComment() throws IOException {
        List<String> uses = new ArrayList<>();
        for (String line : Files.readAllLines(WORKFLOW)) {
            Matcher m = USES.matcher(line);
            if (m.find()) {
                uses.add(m.group(1));
                assertTrue(PINNED.matcher(m.group(1)).matches(), "not pinned by a full commit SHA: " + line.trim());
                assertTrue(m.group(2).matches("\\s*# v\\d+(\\.\\d+)*\\s*"), "no '# vX.Y.Z' comment: " + line.trim());
            }
        }
        assertFalse(uses.isEmpty(), "no actions found in " + WORKFLOW);
    }

    private static JsonNode workflow() throws IOException {
        JsonNode wf = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(WORKFLOW));
        assertNotNull(wf, WORKFLOW + " is empty");
        assertTrue(wf.path("jobs").isObject(), WORKFLOW + " has no jobs");
        return wf;
    }

    private static List<String> runs(JsonNode job) {
        List<String> runs = new ArrayList<>();
        job.path("steps").forEach(s -> {
            if (s.has("run")) {
                runs.add(s.get("run").asText());
            }
        });
        assertFalse(runs.isEmpty(), "job has no run steps");
        return runs;
    }
}
