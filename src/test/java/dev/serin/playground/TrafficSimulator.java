package dev.serin.playground;

import java.util.List;
import java.util.Random;

/**
 * How Envoy spreads requests over one HTTP route: a weighted random pick among the route's destinations
 * (weighted_clusters: a random value below the total weight selects the first destination whose running sum of
 * weights exceeds it), then a pod among the destination's endpoints (the pods the Service selects, narrowed by
 * the DestinationRule subset's labels), every endpoint alike. A destination with no endpoints answers 503.
 * The pod then answers: 200 after a few tens of milliseconds, or, on a canary pod, 503 at the injected
 * {@link #canaryErrorRate() error rate}. A pod's latency is the common distribution times its Deployment's
 * {@link #LATENCY_FACTOR_ANNOTATION pod template annotation} and, on a canary pod, times the injected
 * {@link #canaryLatencyFactor() canary latency factor}.
 */
public final class TrafficSimulator {
    /** Requests the playground's shares are computed over. */
    public static final int WINDOW = 10_000;

    /** Ready pods of one Deployment that a destination reaches. */
    public record Backend(String deployment, int pods) {
    }

    /** One weighted destination of the route; {@code subset} null when the route names none. */
    public record Destination(String subset, int weight, List<Backend> backends) {
    }

    /** A pod's answer to one request. */
    public record Answer(int code, double millis) {
    }

    /**
     * Pod template annotation of a Deployment whose simulated pods answer this many times slower (e.g. "1.3"); a
     * Canary sets it on its canary pods through {@code spec.canary.annotations}. Absent or not a number in
     * {@link #MIN_LATENCY_FACTOR}..{@link #MAX_LATENCY_FACTOR}: 1.
     */
    public static final String LATENCY_FACTOR_ANNOTATION = "playground.serin.dev/latency-factor";
    public static final double MIN_LATENCY_FACTOR = 0.1;
    public static final double MAX_LATENCY_FACTOR = 10;

    private final Random random;
    private volatile double canaryErrorRate;
    private volatile double canaryLatencyFactor = 1;

    public TrafficSimulator(Random random) {
        this.random = random;
    }

    /** Share of requests (0 to 1) that canary pods answer with 503. */
    public double canaryErrorRate() {
        return canaryErrorRate;
    }

    public void canaryErrorRate(double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("canaryErrorRate must be a number from 0 to 1, e.g. 0.3; got " + rate);
        }
        canaryErrorRate = rate;
    }

    /** How many times slower than stable pods canary pods answer (1: as fast). */
    public double canaryLatencyFactor() {
        return canaryLatencyFactor;
    }

    public void canaryLatencyFactor(double factor) {
        if (!validLatencyFactor(factor)) {
            throw new IllegalArgumentException("canaryLatencyFactor must be a number from " + MIN_LATENCY_FACTOR
                    + " to " + MAX_LATENCY_FACTOR + ", e.g. 1.3; got " + factor);
        }
        canaryLatencyFactor = factor;
    }

    static boolean validLatencyFactor(double factor) {
        return factor >= MIN_LATENCY_FACTOR && factor <= MAX_LATENCY_FACTOR;
    }

    /** A Deployment's latency factor from its pod template annotations (null when it has none): 1 unless valid. */
    public static double latencyFactor(java.util.Map<String, String> podAnnotations) {
        String value = podAnnotations == null ? null : podAnnotations.get(LATENCY_FACTOR_ANNOTATION);
        if (value == null) {
            return 1;
        }
        try {
            double factor = Double.parseDouble(value.strip());
            return validLatencyFactor(factor) ? factor : 1;
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** How a pod (of the canary or not) answers one request. */
    public Answer answer(boolean canary) {
        return answer(canary, 1);
    }

    /** How a pod of a Deployment with this {@link #latencyFactor latency factor} answers one request. */
    public Answer answer(boolean canary, double latencyFactor) {
        if (canary && random.nextDouble() < canaryErrorRate) {
            return new Answer(503, 1 + random.nextDouble() * 4); // failing fast
        }
        double factor = latencyFactor * (canary ? canaryLatencyFactor : 1);
        // 8 ms plus an exponential tail with a 12 ms mean: p99 about 63 ms (times the factor)
        return new Answer(200, factor * (8 - Math.log(1 - random.nextDouble()) * 12));
    }

    /** Index of the destination a request goes to, or -1 when every weight is 0. */
    public int pickDestination(List<Destination> destinations) {
        long total = 0;
        for (Destination d : destinations) {
            total += Math.max(0, d.weight());
        }
        if (total == 0) {
            return -1;
        }
        long value = (long) (random.nextDouble() * total);
        long sum = 0;
        for (int i = 0; i < destinations.size(); i++) {
            sum += Math.max(0, destinations.get(i).weight());
            if (value < sum) {
                return i;
            }
        }
        return destinations.size() - 1;
    }

    /** The Deployment whose pod serves one request, or null for a 503. */
    public String serve(List<Destination> destinations) {
        int i = pickDestination(destinations);
        if (i < 0) {
            return null;
        }
        List<Backend> backends = destinations.get(i).backends();
        int pods = 0;
        for (Backend b : backends) {
            pods += b.pods();
        }
        if (pods == 0) {
            return null;
        }
        int pod = random.nextInt(pods);
        for (Backend b : backends) {
            if (pod < b.pods()) {
                return b.deployment();
            }
            pod -= b.pods();
        }
        throw new AssertionError("unreachable");
    }

    /** The outcomes of the last {@link #WINDOW} requests of one route. */
    public static final class Window {
        public static final byte OTHER = 0;
        public static final byte CANARY = 1;
        public static final byte ERROR = 2;
        private final byte[] outcomes;
        private int next;
        private int size;
        private final int[] counts = new int[3];

        public Window(int capacity) {
            outcomes = new byte[capacity];
        }

        public synchronized void add(byte outcome) {
            if (size == outcomes.length) {
                counts[outcomes[next]]--;
            } else {
                size++;
            }
            outcomes[next] = outcome;
            counts[outcome]++;
            next = (next + 1) % outcomes.length;
        }

        public synchronized int size() {
            return size;
        }

        public synchronized int count(byte outcome) {
            return counts[outcome];
        }
    }
}
