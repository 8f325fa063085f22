package dev.serin.playground;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The playground: an in-memory Kubernetes API server (fabric8's mock server in CRUD mode) that kubectl and Serin can
 * both talk to, seeded with demo services, with stand-in Deployment and EndpointSlice controllers and a traffic view.
 * Started by {@code bin/playground}; lives in the test classpath only.
 *
 * <p>Options (system properties): {@code playground.port} (56443), {@code playground.traffic-port} (8081),
 * {@code playground.dir} (target/playground), {@code playground.print-every} (5s, 0 to stay quiet),
 * {@code playground.ready-after} (1s), {@code playground.prometheus-url} (http://localhost:9091, the Prometheus
 * bin/playground starts; written into the autopilot example).
 */
public final class Playground {
    private Playground() {
    }

    public static void main(String[] args) throws Exception {
        Logger.getLogger("io.fabric8.mockwebserver").setLevel(Level.WARNING);
        int port = Integer.getInteger("playground.port", 56443);
        int trafficPort = Integer.getInteger("playground.traffic-port", 8081);
        Path dir = Path.of(System.getProperty("playground.dir", "target/playground"));
        Duration printEvery = Duration.parse("PT" + System.getProperty("playground.print-every", "5s"));
        Duration readyAfter = Duration.parse("PT" + System.getProperty("playground.ready-after", "1s"));

        ApiServer api = new ApiServer().start(port);
        String crd = DemoSeed.seed(api.client());
        Path kubeconfig = api.writeKubeconfig(dir.resolve("kubeconfig"), DemoSeed.NAMESPACE).toAbsolutePath();
        Path example = copyExample(dir, "shop-canary.yaml", null);
        String prometheus = System.getProperty("playground.prometheus-url", EXAMPLE_PROMETHEUS);
        Path autopilotExample = copyExample(dir, "catalog-canary.yaml", prometheus);
        Path slowerExample = copyExample(dir, "checkout-canary.yaml", prometheus);
        Path equalExample = copyExample(dir, "search-canary.yaml", prometheus);
        Path httpRouteExample = copyExample(dir, "cart-canary.yaml", null);

        ScheduledExecutorService loops = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "playground-loop");
            t.setDaemon(true);
            return t;
        });
        loops.scheduleWithFixedDelay(new ReadyReplicas(api.client(), readyAfter, Clock.systemUTC()), 0, 200,
                TimeUnit.MILLISECONDS);
        loops.scheduleWithFixedDelay(new EndpointSlices(api.client()), 0, 200, TimeUnit.MILLISECONDS);
        TrafficView traffic = new TrafficView(api.client(), new Random(), TrafficSimulator.WINDOW / 10);
        loops.scheduleWithFixedDelay(() -> {
            try {
                traffic.tick();
            } catch (RuntimeException e) {
                System.err.println("[playground] traffic: " + e);
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
        String hint = "Try: kubectl --kubeconfig " + kubeconfig + " apply -f " + example.toAbsolutePath();
        if (!printEvery.isZero()) {
            loops.scheduleAtFixedRate(() -> traffic.print(System.out, hint), printEvery.toMillis(),
                    printEvery.toMillis(), TimeUnit.MILLISECONDS);
        }
        HttpServer trafficServer = traffic.serve(trafficPort);

        System.out.println("[playground] Kubernetes API (fabric8 mock server, CRUD mode): " + api.url());
        System.out.println("[playground] Canary CRD from " + crd + "; demo/shop (40 replicas), demo/catalog "
                + "(20 replicas), demo/checkout and demo/search (10 each), each with a Service, VirtualService and "
                + "DestinationRule; demo/cart (10 replicas) with a Service and an HTTPRoute (Gateway API)");
        System.out.println("[playground] kubeconfig: " + kubeconfig);
        System.out.println("[playground] traffic view: http://localhost:" + trafficServer.getAddress().getPort()
                + "/playground/traffic");
        System.out.println("[playground] example Canary: " + example.toAbsolutePath());
        System.out.println("[playground] Gateway API example (HTTPRoute): " + httpRouteExample.toAbsolutePath());
        System.out.println("[playground] autopilot example: " + autopilotExample.toAbsolutePath());
        System.out.println("[playground] compare-mode examples (canary judged against stable): "
                + slowerExample.toAbsolutePath() + " (30 % slower), " + equalExample.toAbsolutePath() + " (as fast)");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            loops.shutdownNow();
            trafficServer.stop(0);
            api.close();
            stopped.countDown();
        }, "playground-stop"));
        stopped.await();
    }

    /** The Prometheus URL the autopilot examples name. */
    static final String EXAMPLE_PROMETHEUS = "http://localhost:9091";

    /** Copies an example Canary into dir, with the playground's Prometheus URL when {@code prometheus} is given. */
    private static Path copyExample(Path dir, String name, String prometheus) throws IOException {
        Path target = dir.resolve(name);
        Files.createDirectories(dir);
        try (InputStream in = Playground.class.getResourceAsStream("/playground/" + name)) {
            String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (prometheus != null) {
                yaml = yaml.replace(EXAMPLE_PROMETHEUS, prometheus);
            }
            Files.writeString(target, yaml);
        }
        return target;
    }
}
