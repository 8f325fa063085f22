package dev.serin.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.playground.PlaygroundHarness;
import dev.serin.playground.PlaygroundPrometheus;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
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
 * With Debian's prometheus installed, the playground's Prometheus scrapes the simulated traffic and the tour's
 * autopilot part runs too, with a 3 s interval instead of the example's 30 s, and so does its compare-mode part: the
 * judge finds checkout's canary (30 % slower) High on latencyP99 and the autopilot rolls it back, while search's (as
 * fast as stable) passes and steps from 10 to 25 %. The tour checks each weight and status field it shows and stops
 * at the first that differs; this test also asserts the lines that say so. The tour's output goes to the test log
 * and to {@code target/tour-output.txt}. Before the autopilot, the tour checks that at weight 0 a request with the
 * tester header {@code x-canary: always} reaches the canary (v2) and one without it stable (v1), and splits the
 * playground's Gateway API service (cart) through its HTTPRoute beside Istio's shop, {@code kubectl canary status}
 * naming each one's dialect.
 */
@QuarkusTest
@TestProfile(TourTest.RealAnalysis.class)
@WithTestResource(PlaygroundResource.class)
class TourTest {
    /** The autopilot asks the playground's real Prometheus, not the scenario tests' scripted verdicts. */
    public static class RealAnalysis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.arc.exclude-types", "dev.serin.autopilot.ScriptedAnalysis");
        }
    }

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
        String prometheusUrl = config.getValue("playground.prometheus-url", String.class);
        boolean autopilot = !"none".equals(prometheusUrl);
        if (!autopilot) {
            System.err.println("TourTest: the tour's autopilot part is skipped: " + PlaygroundPrometheus.NOT_FOUND);
        }

        Map<String, String> env = Scripts.environment(home, kubeconfig);
        String serinUrl = serin.toString().replaceAll("/$", "");
        env.put("SERIN_URL", serinUrl);
        env.put("TRAFFIC_URL", trafficUrl);
        env.put("TOUR_TIMEOUT", "60");
        env.put("PROMETHEUS_URL", autopilot ? prometheusUrl : "");
        env.put("TOUR_AUTOPILOT_INTERVAL", "3s");
        // the playground's traffic view here fills its window on a new route in 1 s, not the tour's default 5 s
        env.put("TOUR_TRAFFIC_FILL", Long.toString(PlaygroundHarness.TRAFFIC_FILL.toSeconds()));
        Scripts.Result r = Scripts.start(home.resolve("logs"), env, Scripts.repo().resolve("k8s/examples/tour.sh"),
                List.of()).await(TOUR_TIMEOUT);

        String report = r.out() + (r.err().isEmpty() ? "" : "--- stderr\n" + r.err());
        System.out.println("--- k8s/examples/tour.sh (SERIN_URL=" + serinUrl + ", TRAFFIC_URL=" + trafficUrl + ")\n"
                + report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/tour-output.txt"), r.out());
        assertEquals(0, r.exit(), report);
        assertTrue(r.out().contains("Tour complete"), report);
        // testers: at weight 0 the header request reaches the canary through Serin's tester route, the plain one stable
        assertTrue(r.out().contains("ok: VirtualService shop routes, in order: serin-testers-0 -"), report);
        assertTrue(r.out().contains("ok: the request with x-canary: always reached the canary (v2, a pod of shop-canary)"
                + " through route serin-testers-0, at weight 0"), report);
        assertTrue(r.out().contains("ok: the request without it reached stable (v1, a pod of shop)"), report);
        // Gateway API beside Istio: the HTTPRoute's exact ratio, the traffic that follows it, the DIALECT column
        assertTrue(r.out().contains("ok: HTTPRoute cart backendRefs: cart-stable 97, cart-canary 3"), report);
        assertTrue(r.out().lines().anyMatch(l -> l.matches(" +ok: the canary of cart served [0-9.]+ % of the last [0-9]+ "
                + "simulated requests \\(spec.weight 3 %\\)")), report);
        assertTrue(r.out().lines().anyMatch(l -> l.matches(" +shop +shop .* istio")), report);
        assertTrue(r.out().lines().anyMatch(l -> l.matches(" +cart +cart .* gateway-api")), report);
        assertTrue(r.out().contains("ok: Canary gone; HTTPRoute cart spec exactly as before"), report);
        if (autopilot) {
            assertTrue(r.out().contains("the autopilot stepped to 5 %"), report);
            assertTrue(r.out().contains("phase Aborted, status.weight 0: the autopilot rolled the canary back"), report);
            assertTrue(r.out().contains("autopilot 1 % -> 5 % -> 10 % -> faults -> rolled back to 0"), report);
            assertTrue(r.out().contains("checkout: phase Aborted, status.weight 0: the judge failed the check"), report);
            assertTrue(r.out().contains("checkout: latencyP99 High on "), report);
            assertTrue(r.out().contains("(at least allowedIncrease 1.05), shift interval above 0"), report);
            assertTrue(r.out().contains("after a passing check the autopilot stepped search on from 10 %"), report);
            assertTrue(r.out().contains("search: latencyP99 Pass on "), report);
            assertTrue(r.out().contains("compare mode: checkout 30 % slower -> latencyP99 High -> rolled back, search as "
                    + "fast -> stepped on from 10 %"), report);
        }
        assertEquals("", r.err(), "the tour wrote to stderr");
    }
}
