package dev.serin.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The traffic view's HTTP side, on the loopback interface:
 * <ul>
 * <li>{@code GET /playground/traffic}: the view as JSON;</li>
 * <li>{@code GET /metrics}: Istio's request metrics for what the simulation routed, for Prometheus to scrape;</li>
 * <li>{@code GET|POST /playground/faults}: the injected faults, {@code {"canaryErrorRate": 0.3}} (0 clears) and
 * {@code {"canaryLatencyFactor": 1.3}} (1 clears); a POST sets the fields it has and leaves the other as it is;</li>
 * <li>{@code GET /playground/request?host=shop[&namespace=demo][&path=/]}: ONE simulated request to the host, carrying
 * the headers this request carries (e.g. {@code curl -H 'x-canary: always' ...}), routed by the VirtualService's
 * HTTP routes in order, or a mesh HTTPRoute's best-ranked rule ({@link TrafficView#request}); answers where it went
 * as JSON.</li>
 * </ul>
 */
final class TrafficEndpoints {
    static final String ERROR_RATE = "canaryErrorRate";
    static final String LATENCY_FACTOR = "canaryLatencyFactor";
    private static final String EXAMPLE = "e.g. {\"canaryErrorRate\": 0.3} or {\"canaryLatencyFactor\": 1.3}";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrafficEndpoints() {
    }

    static HttpServer serve(TrafficView view, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/playground/traffic", exchange -> send(exchange, 200, "application/json", view.json()));
        server.createContext("/metrics", exchange -> send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
                view.metrics().render()));
        server.createContext("/playground/faults", exchange -> faults(view.simulator(), exchange));
        server.createContext("/playground/request", exchange -> request(view, exchange));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "playground-traffic-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return server;
    }

    private static void faults(TrafficSimulator simulator, HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        if ("POST".equals(method) || "PUT".equals(method)) {
            String problem = apply(simulator, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (problem != null) {
                send(exchange, 400, "application/json",
                        JSON.createObjectNode().put("error", problem).toString() + "\n");
                return;
            }
        } else if (!"GET".equals(method)) {
            exchange.getResponseHeaders().add("Allow", "GET, POST, PUT");
            send(exchange, 405, "application/json",
                    JSON.createObjectNode().put("error", "use GET, or POST " + EXAMPLE).toString() + "\n");
            return;
        }
        send(exchange, 200, "application/json", faults(simulator).toString() + "\n");
    }

    private static void request(TrafficView view, HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String host = query.get("host");
        if (!"GET".equals(exchange.getRequestMethod()) || host == null || host.isBlank()) {
            send(exchange, 400, "application/json", JSON.createObjectNode().put("error", "send GET "
                    + "/playground/request?host=shop (namespace=demo and path=/ unless given), with the headers the "
                    + "request should carry, e.g. curl -H 'x-canary: always'").toString() + "\n");
            return;
        }
        ObjectNode answer = view.request(query.getOrDefault("namespace", DemoSeed.NAMESPACE), host,
                query.getOrDefault("path", "/"), name -> exchange.getRequestHeaders().getFirst(name));
        send(exchange, 200, "application/json", answer.toString() + "\n");
    }

    /** The query parameters, decoded; the first of each name. */
    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }

    /** The injected faults as the endpoint answers them. */
    static ObjectNode faults(TrafficSimulator simulator) {
        return JSON.createObjectNode().put(ERROR_RATE, simulator.canaryErrorRate())
                .put(LATENCY_FACTOR, simulator.canaryLatencyFactor());
    }

    /** Applies a faults document, all of it or (when it returns what is wrong with it) nothing; null when applied. */
    static String apply(TrafficSimulator simulator, String body) {
        JsonNode doc;
        try {
            doc = JSON.readTree(body);
        } catch (IOException e) {
            return "not JSON; send " + EXAMPLE;
        }
        if (doc == null || !doc.isObject() || doc.isEmpty()) {
            return "send a JSON object with canaryErrorRate, canaryLatencyFactor or both, " + EXAMPLE;
        }
        for (Iterator<String> names = doc.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!ERROR_RATE.equals(name) && !LATENCY_FACTOR.equals(name)) {
                return "unknown field " + name + "; the fields are canaryErrorRate and canaryLatencyFactor";
            }
        }
        JsonNode rate = doc.get(ERROR_RATE);
        if (rate != null && (!rate.isNumber() || rate.asDouble() < 0 || rate.asDouble() > 1)) {
            return "canaryErrorRate must be a number from 0 to 1 (share of canary requests answered 503; 0 clears)";
        }
        JsonNode factor = doc.get(LATENCY_FACTOR);
        if (factor != null && (!factor.isNumber() || !TrafficSimulator.validLatencyFactor(factor.asDouble()))) {
            return "canaryLatencyFactor must be a number from " + TrafficSimulator.MIN_LATENCY_FACTOR + " to "
                    + (int) TrafficSimulator.MAX_LATENCY_FACTOR
                    + " (how many times as long canary pods take to answer; 1 clears)";
        }
        if (rate != null) {
            simulator.canaryErrorRate(rate.asDouble());
        }
        if (factor != null) {
            simulator.canaryLatencyFactor(factor.asDouble());
        }
        return null;
    }

    private static void send(HttpExchange exchange, int code, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
