package dev.serin.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code k8s/examples/tour.sh} end to end with the real kubectl and curl: Serin runs in this JVM against the playground's
 * API server ({@link PlaygroundResource}), which also runs the stand-in Deployment controller and the traffic view.
 * The tour's output goes to the test log and to {@code target/tour-output.txt}.
 */
@QuarkusTest
@WithTestResource(PlaygroundResource.class)
class TourTest {
    private static final Duration TOUR_TIMEOUT = Duration.ofMinutes(4);

    @TestHTTPResource("/")
    URL serin;

    @TempDir
    Path home;

    @Test
    void theTourRunsEndToEnd() throws IOException {
        Scripts.assumeTools();
        Assumptions.assumeTrue(Scripts.findOnPath("curl") != null, "curl not on PATH; the tour calls Serin's REST API "
                + "with it (Debian: apt-get install curl)");
        var config = ConfigProvider.getConfig();
        Path kubeconfig = Path.of(config.getValue("playground.kubeconfig", String.class));
        String trafficUrl = config.getValue("playground.traffic-url", String.class);

        Map<String, String> env = Scripts.environment(home, kubeconfig);
        String serinUrl = serin.toString().replaceAll("/$", "");
        env.put("SERIN_URL", serinUrl);
        env.put("TRAFFIC_URL", trafficUrl);
        env.put("TOUR_TIMEOUT", "60");
        Scripts.Result r = Scripts.start(home.resolve("logs"), env, Scripts.repo().resolve("k8s/examples/tour.sh"),
                List.of()).await(TOUR_TIMEOUT);

        String report = r.out() + (r.err().isEmpty() ? "" : "--- stderr\n" + r.err());
        System.out.println("--- k8s/examples/tour.sh (SERIN_URL=" + serinUrl + ", TRAFFIC_URL=" + trafficUrl + ")\n"
                + report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/tour-output.txt"), r.out());
        assertEquals(0, r.exit(), report);
        assertTrue(r.out().contains("Tour complete"), report);
        assertEquals("", r.err(), "the tour wrote to stderr");
    }
}
