package dev.serin.playground;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What {@link Playground#main} runs, for tests in other packages: the API server on a free port with the demo seed,
 * a kubeconfig for it, the stand-in Deployment and EndpointSlice controllers ({@link ReadyReplicas},
 * {@link EndpointSlices}) and, optionally, the traffic view
 * on a free port and a Prometheus scraping its Istio metrics ({@link PlaygroundPrometheus}, when installed). Quiet:
 * it prints nothing.
 */
public final class PlaygroundHarness implements AutoCloseable {
    /**
     * The traffic view sends {@link TrafficSimulator#WINDOW} / 10 requests per tick: a tick every 0.1 s instead of
     * the playground's 0.5 s fills the window with requests on a new route in 1 s instead of 5 s.
     */
    public static final Duration TRAFFIC_TICK = Duration.ofMillis(100);
    /** From a route change until the traffic view's window holds only requests on the new route, with 1 s to spare. */
    public static final Duration TRAFFIC_FILL = TRAFFIC_TICK.multipliedBy(10).plusSeconds(1);

    private final ApiServer api;
    private final Path kubeconfig;
    private final ScheduledExecutorService loops;
    private final HttpServer trafficServer;
    private PlaygroundPrometheus prometheus;

    private PlaygroundHarness(Path dir, Duration readyAfter, boolean traffic, boolean withPrometheus) {
        api = new ApiServer().start(0);
        loops = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "playground-harness-loop");
            t.setDaemon(true);
            return t;
        });
        try {
            DemoSeed.seed(api.client());
            kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"), DemoSeed.NAMESPACE).toAbsolutePath();
            loops.scheduleWithFixedDelay(new ReadyReplicas(api.client(), readyAfter, Clock.systemUTC()), 0, 200,
                    TimeUnit.MILLISECONDS);
            loops.scheduleWithFixedDelay(new EndpointSlices(api.client()), 0, 200, TimeUnit.MILLISECONDS);
            if (traffic) {
                TrafficView view = new TrafficView(api.client(), new Random(), TrafficSimulator.WINDOW / 10);
                loops.scheduleWithFixedDelay(() -> {
                    try {
                        view.tick();
                    } catch (RuntimeException e) {
                        System.err.println("[playground] traffic: " + e);
                    }
                }, TRAFFIC_TICK.toMillis(), TRAFFIC_TICK.toMillis(), TimeUnit.MILLISECONDS);
                trafficServer = view.serve(0);
                if (withPrometheus) {
                    var binary = PlaygroundPrometheus.find();
                    if (binary.isPresent()) {
                        prometheus = PlaygroundPrometheus.start(binary.get(), trafficServer.getAddress().getPort(),
                                dir.resolve("prometheus"));
                    }
                }
            } else {
                trafficServer = null;
            }
        } catch (IOException | RuntimeException e) {
            if (prometheus != null) {
                prometheus.close();
            }
            loops.shutdownNow();
            api.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /** Starts everything; the kubeconfig goes into {@code dir}. */
    public static PlaygroundHarness start(Path dir, Duration readyAfter, boolean traffic) {
        return new PlaygroundHarness(dir, readyAfter, traffic, false);
    }

    /** Also starts a Prometheus scraping the traffic view, when one is installed (see {@link #prometheusUrl()}). */
    public static PlaygroundHarness startWithPrometheus(Path dir, Duration readyAfter) {
        return new PlaygroundHarness(dir, readyAfter, true, true);
    }

    /** The Prometheus scraping the traffic view, or null when none was started (not asked for, or not installed). */
    public String prometheusUrl() {
        return prometheus == null ? null : prometheus.url();
    }

    public ApiServer api() {
        return api;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    /** The traffic view's JSON address, or null when it was not started. */
    public String trafficUrl() {
        return trafficServer == null ? null
                : "http://localhost:" + trafficServer.getAddress().getPort() + "/playground/traffic";
    }

    @Override
    public void close() {
        if (prometheus != null) {
            prometheus.close();
        }
        loops.shutdownNow();
        if (trafficServer != null) {
            trafficServer.stop(0);
        }
        api.close();
    }
}
