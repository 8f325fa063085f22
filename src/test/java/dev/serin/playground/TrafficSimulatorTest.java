package dev.serin.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.playground.TrafficSimulator.Backend;
import dev.serin.playground.TrafficSimulator.Destination;
import dev.serin.playground.TrafficSimulator.Window;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrafficSimulatorTest {
    private static final List<Backend> STABLE = List.of(new Backend("shop", 40));
    private static final List<Backend> CANARY = List.of(new Backend("shop-canary", 2));

    private static int canaryHits(TrafficSimulator simulator, List<Destination> route, int requests) {
        int hits = 0;
        for (int i = 0; i < requests; i++) {
            if ("shop-canary".equals(simulator.serve(route))) {
                hits++;
            }
        }
        return hits;
    }

    @Test
    void weights97to3SendAbout3PercentToTheCanaryWhateverThePodCounts() {
        TrafficSimulator simulator = new TrafficSimulator(new Random(42));
        List<Destination> route = List.of(new Destination("stable", 97, STABLE), new Destination("canary", 3, CANARY));
        int hits = canaryHits(simulator, route, 10_000);
        // binomial(10,000, 3 %): standard deviation 17; the band is about 3 of them either side
        assertTrue(hits >= 250 && hits <= 350, "canary got " + hits + " of 10,000");
    }

    @Test
    void fineWeightsWork() {
        TrafficSimulator simulator = new TrafficSimulator(new Random(7));
        List<Destination> route = List.of(new Destination("stable", 199, STABLE), new Destination("canary", 1, CANARY));
        int hits = canaryHits(simulator, route, 10_000);
        assertTrue(hits >= 25 && hits <= 75, "canary got " + hits + " of 10,000 at 0.5 %");
    }

    @Test
    void withoutSubsetsTrafficFollowsThePodRatio() {
        TrafficSimulator simulator = new TrafficSimulator(new Random(1));
        List<Backend> everyPod = List.of(new Backend("shop", 40), new Backend("shop-canary", 2));
        int hits = canaryHits(simulator, List.of(new Destination(null, 100, everyPod)), 10_000);
        // 2 of 42 pods: 4.76 %, standard deviation 21
        assertTrue(hits >= 410 && hits <= 540, "canary got " + hits + " of 10,000");
    }

    @Test
    void pickFollowsEnvoysRunningSum() {
        List<Destination> route = List.of(new Destination("a", 0, STABLE), new Destination("b", 5, STABLE),
                new Destination("c", 5, CANARY));
        // a random value v in [0, 10) picks b for v < 5 and c otherwise; a zero weight is never picked
        assertEquals(1, new TrafficSimulator(fixed(0.0)).pickDestination(route));
        assertEquals(1, new TrafficSimulator(fixed(0.49)).pickDestination(route));
        assertEquals(2, new TrafficSimulator(fixed(0.5)).pickDestination(route));
        assertEquals(2, new TrafficSimulator(fixed(0.999)).pickDestination(route));
        assertEquals(-1, new TrafficSimulator(fixed(0.3)).pickDestination(List.of(new Destination("a", 0, STABLE))));
    }

    @Test
    void aDestinationWithoutPodsAnswers503() {
        TrafficSimulator simulator = new TrafficSimulator(new Random(3));
        assertNull(simulator.serve(List.of(new Destination("canary", 100, List.of()))));
    }

    @Test
    void windowKeepsTheLastRequestsOnly() {
        Window window = new Window(4);
        for (byte b : new byte[] {Window.CANARY, Window.CANARY, Window.OTHER, Window.ERROR, Window.OTHER, Window.OTHER}) {
            window.add(b);
        }
        assertEquals(4, window.size());
        assertEquals(0, window.count(Window.CANARY));
        assertEquals(3, window.count(Window.OTHER));
        assertEquals(1, window.count(Window.ERROR));
    }

    @Test
    void anInjectedErrorRateMakesOnlyTheCanaryAnswer503AtThatRateUntilCleared() {
        TrafficSimulator simulator = new TrafficSimulator(new Random(5));
        assertEquals(0.0, simulator.canaryErrorRate());
        simulator.canaryErrorRate(0.3);
        int failed = 0;
        for (int i = 0; i < 10_000; i++) {
            TrafficSimulator.Answer a = simulator.answer(true);
            assertTrue(a.code() == 200 || a.code() == 503, "code " + a.code());
            failed += a.code() == 503 ? 1 : 0;
            assertEquals(200, simulator.answer(false).code(), "stable pods stay healthy");
        }
        // binomial(10,000, 30 %): standard deviation 46
        assertTrue(failed >= 2850 && failed <= 3150, failed + " of 10,000 canary answers were 503");
        simulator.canaryErrorRate(0);
        for (int i = 0; i < 1000; i++) {
            assertEquals(200, simulator.answer(true).code());
        }
        assertThrows(IllegalArgumentException.class, () -> simulator.canaryErrorRate(1.5));
        assertThrows(IllegalArgumentException.class, () -> simulator.canaryErrorRate(Double.NaN));
    }

    @Test
    void answersTakeTensOfMillisecondsWellUnderTheExamplesLatencyBound() {
        TrafficSimulator simulator = new TrafficSimulator(new Random(9));
        double[] ms = new double[10_000];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = simulator.answer(false).millis();
        }
        java.util.Arrays.sort(ms);
        assertTrue(ms[0] >= 8, "fastest " + ms[0]);
        double p99 = ms[9_899];
        assertTrue(p99 > 40 && p99 < 100, "p99 " + p99); // the playground's autopilot example bounds p99 at 500 ms
    }

    @Test
    void aLatencyFactorMakesPodsThatManyTimesSlowerTheCanaryKnobOnlyCanaryPods() {
        TrafficSimulator simulator = new TrafficSimulator(new Random(13));
        assertEquals(1.0, simulator.canaryLatencyFactor());
        // the common distribution's mean is 8 + 12 = 20 ms; 20,000 answers: standard error about 0.1 ms
        assertEquals(20, meanMillis(simulator, true, 1), 0.5);
        assertEquals(26, meanMillis(simulator, false, 1.3), 0.6, "a Deployment annotated 1.3, canary or not");
        simulator.canaryLatencyFactor(1.3);
        assertEquals(26, meanMillis(simulator, true, 1), 0.6, "canary pods 30 % slower");
        assertEquals(20, meanMillis(simulator, false, 1), 0.5, "stable pods as before");
        assertEquals(52, meanMillis(simulator, true, 2), 1.2, "both factors multiply");
        simulator.canaryLatencyFactor(1);
        assertEquals(20, meanMillis(simulator, true, 1), 0.5);
        assertThrows(IllegalArgumentException.class, () -> simulator.canaryLatencyFactor(0));
        assertThrows(IllegalArgumentException.class, () -> simulator.canaryLatencyFactor(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> simulator.canaryLatencyFactor(11));
    }

    @Test
    void theLatencyFactorComesFromThePodTemplateAnnotationAndIsOneUnlessValid() {
        String key = TrafficSimulator.LATENCY_FACTOR_ANNOTATION;
        assertEquals("playground.serin.dev/latency-factor", key);
        assertEquals(1.3, TrafficSimulator.latencyFactor(java.util.Map.of(key, "1.3")));
        assertEquals(1.3, TrafficSimulator.latencyFactor(java.util.Map.of(key, " 1.3 ")));
        assertEquals(1.0, TrafficSimulator.latencyFactor(null));
        assertEquals(1.0, TrafficSimulator.latencyFactor(java.util.Map.of("other", "2")));
        for (String bad : List.of("slow", "0", "-1", "NaN", "11", "")) {
            assertEquals(1.0, TrafficSimulator.latencyFactor(java.util.Map.of(key, bad)), bad);
        }
    }

    private static double meanMillis(TrafficSimulator simulator, boolean canary, double factor) {
        double sum = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            sum += simulator.answer(canary, factor).millis();
        }
        return sum / n;
    }

    @Test
    void istioMetricsRenderCumulativeBucketsAndEscapedLabels() {
        IstioMetrics metrics = new IstioMetrics();
        IstioMetrics.Workload w = new IstioMetrics.Workload("demo", "shop-canary", "shop", "v\"2", "shop");
        metrics.declare(w, 503);
        metrics.record(w, 200, 3);
        metrics.record(w, 200, 30);
        String text = metrics.render();
        String labels = IstioMetrics.labels(w, 200);
        assertTrue(labels.contains("destination_version=\"v\\\"2\""), labels);
        assertTrue(text.contains("istio_requests_total{" + labels + "} 2\n"), text);
        assertTrue(text.contains("istio_requests_total{" + IstioMetrics.labels(w, 503) + "} 0\n"), text);
        assertTrue(text.contains("istio_request_duration_milliseconds_bucket{" + labels + ",le=\"1\"} 0\n"), text);
        assertTrue(text.contains("istio_request_duration_milliseconds_bucket{" + labels + ",le=\"5\"} 1\n"), text);
        assertTrue(text.contains("istio_request_duration_milliseconds_bucket{" + labels + ",le=\"50\"} 2\n"), text);
        assertTrue(text.contains("istio_request_duration_milliseconds_bucket{" + labels + ",le=\"+Inf\"} 2\n"), text);
        assertTrue(text.contains("istio_request_duration_milliseconds_sum{" + labels + "} 33\n"), text);
        assertTrue(text.contains("istio_request_duration_milliseconds_count{" + labels + "} 2\n"), text);
    }

    @Test
    void percentHasTwoDecimals() {
        assertEquals(4.76, TrafficView.percent(2, 42));
        assertEquals(0.0, TrafficView.percent(0, 0));
    }

    private static Random fixed(double value) {
        return new Random() {
            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
