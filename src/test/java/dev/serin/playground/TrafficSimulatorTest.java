package dev.serin.playground;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
