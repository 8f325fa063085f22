package dev.serin.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * k8s/ and the build name the same image: the Deployment's image is {@code <registry>/<group>/<name>} from the
 * quarkus.container-image.* keys in application.properties, tagged with the pom's version without -SNAPSHOT,
 * and the Deployment's JAVA_OPTS_APPEND (which replaces the image's) repeats the flags baked into the image.
 * Plain JUnit: reads files, builds nothing.
 */
class ImageNameTest {

    private static final Path PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Path DEPLOYMENT = Path.of("k8s/deployment.yaml");
    private static final Pattern POM_VERSION =
            Pattern.compile("<artifactId>serin</artifactId>\\s*<version>([^<]+)</version>");

    @Test
    void deploymentImageIsTheImageTheBuildNamesAtTheReleaseVersion() throws IOException {
        Properties config = config();
        String repository = required(config, "quarkus.container-image.registry") + "/"
                + required(config, "quarkus.container-image.group") + "/"
                + required(config, "quarkus.container-image.name");
        String release = pomVersion().replaceFirst("-SNAPSHOT$", "");

        String image = container().getImage();
        int colon = image.lastIndexOf(':');
        assertTrue(colon > image.lastIndexOf('/'), DEPLOYMENT + ": image " + image + " has no tag");
        assertEquals(repository, image.substring(0, colon), DEPLOYMENT + ": image repository");
        assertEquals(release, image.substring(colon + 1), DEPLOYMENT + ": image tag (pom version without -SNAPSHOT)");
    }

    @Test
    void imageIsTaggedWithTheProjectVersionAndLabelled() throws IOException {
        Properties config = config();
        assertEquals("${quarkus.application.version}", config.getProperty("quarkus.container-image.tag"), "tag");
        assertEquals("ghcr.io", config.getProperty("quarkus.container-image.registry"), "registry");
        String labels = "quarkus.container-image.labels.\"org.opencontainers.image.";
        assertEquals("https://github.com/${quarkus.container-image.group}/serin",
                config.getProperty(labels + "source\""), "source label");
        assertEquals("${quarkus.application.version}", config.getProperty(labels + "version\""), "version label");
        assertEquals("${git.revision:unknown}", config.getProperty(labels + "revision\""), "revision label");
    }

    @Test
    void deploymentJavaOptsAppendRepeatsTheImagesJvmArguments() throws IOException {
        List<String> image = Arrays.asList(required(config(), "quarkus.jib.jvm-arguments").split("\\s*,\\s*"));
        EnvVar env = container().getEnv().stream().filter(e -> "JAVA_OPTS_APPEND".equals(e.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(DEPLOYMENT + " sets no JAVA_OPTS_APPEND"));
        assertEquals(image, Arrays.asList(env.getValue().trim().split("\\s+")),
                "JAVA_OPTS_APPEND replaces the image's value, so it must repeat quarkus.jib.jvm-arguments");
    }

    private static Container container() throws IOException {
        Deployment deployment = Manifests.load(DEPLOYMENT).stream()
                .filter(Deployment.class::isInstance).map(Deployment.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment in " + DEPLOYMENT));
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> "serin".equals(c.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no container serin in " + DEPLOYMENT));
    }

    private static Properties config() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(PROPERTIES)) {
            p.load(r);
        }
        return p;
    }

    private static String required(Properties config, String key) {
        String value = config.getProperty(key);
        assertNotNull(value, PROPERTIES + " sets no " + key);
        return value.trim();
    }

    private static String pomVersion() throws IOException {
        Matcher m = POM_VERSION.matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(m.find(), "pom.xml: no <version> after <artifactId>serin</artifactId>");
        return m.group(1).trim();
    }
}
