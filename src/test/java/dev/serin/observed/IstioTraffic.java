package dev.serin.observed;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stand-in for Istio's sidecars: serves {@code istio_requests_total} as the destination sidecars report it, and on
 * every scrape adds a fixed number of requests per workload, so each workload gets a known share of the traffic.
 * A source-side series (the same requests seen by the caller) is served too: the measurement must ignore it.
 */
final class IstioTraffic implements AutoCloseable {
    private final Map<String, Long> counters = new TreeMap<>();
    private final Map<String, Long> perScrape = new TreeMap<>();
    private final HttpServer server;

    IstioTraffic() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metrics", ex -> {
            byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /**
     * From the next scrape on, each workload receives this many more requests per scrape (once a second); all of them
     * start in the same scrape.
     */
    synchronized void receive(String namespace, Map<String, Long> requestsPerScrape) {
        requestsPerScrape.forEach((workload, n) -> receive(namespace, workload, n));
    }

    private void receive(String namespace, String workload, long requestsPerScrape) {
        for (String reporter : new String[] {"destination", "source"}) {
            String labels = "reporter=\"" + reporter + "\",destination_workload=\"" + workload
                    + "\",destination_workload_namespace=\"" + namespace + "\",destination_service_name=\""
                    + workload.replace("-canary", "") + "\",response_code=\"200\"";
            counters.putIfAbsent(labels, 0L);
            // the callers' sidecars report the canary's requests again (and more, with retries): wrong if counted
            perScrape.put(labels, !reporter.equals("source") ? requestsPerScrape
                    : workload.endsWith("-canary") ? 5 * requestsPerScrape : 0);
        }
    }

    private synchronized String scrape() {
        StringBuilder s = new StringBuilder("# TYPE istio_requests_total counter\n");
        counters.forEach((labels, n) -> s.append("istio_requests_total{").append(labels).append("} ").append(n)
                .append('\n'));
        perScrape.forEach((labels, n) -> counters.merge(labels, n, Long::sum)); // counted from the next scrape on
        return s.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
