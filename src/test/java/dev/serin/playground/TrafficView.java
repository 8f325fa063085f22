package dev.serin.playground;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.playground.TrafficSimulator.Backend;
import dev.serin.playground.TrafficSimulator.Destination;
import dev.serin.playground.TrafficSimulator.Window;
import dev.serin.reconcile.ResolvedCanary;
import dev.serin.traffic.Routes;
import dev.serin.traffic.TrafficTargets;
import dev.serin.traffic.gatewayapi.ServiceNames;
import dev.serin.traffic.istio.HostName;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Sends simulated requests through the VirtualService routes as they stand right now, and shows, for every Canary,
 * the share of the last {@value TrafficSimulator#WINDOW} requests its pods served beside the weight it asked for,
 * the share Serin observed (its {@code status.observed.share}, when it reports one) and what the old pod-ratio
 * approach (canary pods / all pods) would have given. Every answered request is also counted in Istio's metrics.
 */
final class TrafficView {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Reads Canaries whatever fields a newer Serin adds to their status. */
    private static final ObjectMapper LENIENT = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final KubernetesClient client;
    private final TrafficSimulator simulator;
    private final IstioMetrics metrics = new IstioMetrics();
    private static final ResourceDefinitionContext CANARIES = ResourceDefinitionContext.fromResourceType(Canary.class);
    private final int requestsPerTick;
    private final Map<String, Window> windows = new HashMap<>();
    private volatile List<ObjectNode> latest = List.of();
    private boolean hinted;

    TrafficView(KubernetesClient client, Random random, int requestsPerTick) {
        this.client = client;
        this.simulator = new TrafficSimulator(random);
        this.requestsPerTick = requestsPerTick;
    }

    /** One round: reads the routes, sends a batch of requests per Canary, refreshes the report. */
    synchronized void tick() {
        List<ObjectNode> report = new ArrayList<>();
        Map<String, Window> live = new HashMap<>();
        Map<String, NamespaceObjects> namespaces = new HashMap<>();
        for (GenericKubernetesResource item : client.genericKubernetesResources(CANARIES).inAnyNamespace().list()
                .getItems()) {
            JsonNode json = JSON.valueToTree(item);
            Canary canary = LENIENT.convertValue(json, Canary.class);
            if (canary.getSpec() == null) {
                continue;
            }
            ResolvedCanary c = ResolvedCanary.of(canary);
            NamespaceObjects ns = namespaces.computeIfAbsent(c.namespace(), n -> new NamespaceObjects(client, n));
            Routes routes = TrafficTargets.routes(canary);
            Route route = TrafficTargets.GATEWAY_API.equals(routes.dialect()) ? ns.httpRoute(c, routes.names())
                    : ns.route(c, routes.names());
            String key = c.namespace() + "/" + c.name();
            Window window = windows.computeIfAbsent(key, k -> new Window(TrafficSimulator.WINDOW));
            live.put(key, window);
            IstioMetrics.Workload canaryWorkload = ns.workload(c.deploymentName(), c.host());
            if (canaryWorkload != null) {
                metrics.declare(canaryWorkload, 200);
                metrics.declare(canaryWorkload, 503);
            }
            for (int i = 0; i < requestsPerTick; i++) {
                String served = simulator.serve(route.destinations());
                boolean toCanary = c.deploymentName().equals(served);
                window.add(served == null ? Window.ERROR : toCanary ? Window.CANARY : Window.OTHER);
                if (served != null) {
                    // a destination without pods is Envoy's 503 at the caller: no destination sidecar counts it
                    TrafficSimulator.Answer answer = simulator.answer(toCanary, ns.latencyFactor(served));
                    metrics.record(ns.workload(served, c.host()), answer.code(), answer.millis());
                }
            }
            report.add(row(canary, json.path("status").path("observed"), c, ns, route, window));
        }
        windows.keySet().retainAll(live.keySet());
        latest = report;
    }

    private ObjectNode row(Canary canary, JsonNode observed, ResolvedCanary c, NamespaceObjects ns, Route route,
            Window window) {
        ObjectNode row = JSON.createObjectNode().put("namespace", c.namespace()).put("name", c.name())
                .put("target", c.target()).put("canaryDeployment", c.deploymentName());
        row.put("dialect", route.dialect());
        row.put(TrafficTargets.GATEWAY_API.equals(route.dialect()) ? "httpRoute" : "virtualService", route.name());
        int requests = window.size();
        row.put("requests", requests).put("canaryRequests", window.count(Window.CANARY))
                .put("errors", window.count(Window.ERROR));
        row.put("canaryShare", percent(window.count(Window.CANARY), requests));
        row.put("specWeight", canary.getSpec().weight);
        row.put("statusWeight", canary.getStatus() == null ? null : canary.getStatus().weight);
        // what Serin measured from Prometheus (status.observed.share), absent until it reports one
        row.set("observedShare", observed.path("share").isNumber() ? observed.path("share") : null);
        row.put("phase", canary.getStatus() == null || canary.getStatus().phase == null ? null
                : canary.getStatus().phase.name());
        ObjectNode weights = row.putObject("routeWeights");
        // Istio: by subset; Gateway API: by backend Service
        route.destinations().forEach(d -> weights.put(d.subset() == null ? "(no subset)" : d.subset(), d.weight()));
        int stable = ns.replicas(c.target());
        int canaryPods = ns.replicas(c.deploymentName());
        row.put("stableReplicas", stable).put("canaryReplicas", canaryPods);
        row.put("podRatio", percent(canaryPods, stable + canaryPods));
        return row;
    }

    /** Share in percent with 2 decimals. */
    static double percent(long part, long whole) {
        return whole == 0 ? 0 : Math.round(part * 10_000.0 / whole) / 100.0;
    }

    List<ObjectNode> report() {
        return latest;
    }

    TrafficSimulator simulator() {
        return simulator;
    }

    IstioMetrics metrics() {
        return metrics;
    }

    String json() {
        ObjectNode root = JSON.createObjectNode().put("window", TrafficSimulator.WINDOW);
        root.set("faults", TrafficEndpoints.faults(simulator));
        ArrayNode rows = root.putArray("canaries");
        latest.forEach(rows::add);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void print(PrintStream out, String hint) {
        String time = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
        if (latest.isEmpty()) {
            if (!hinted) {
                out.println("[traffic " + time + "] no Canary yet. " + hint);
                hinted = true;
            }
            return;
        }
        hinted = false;
        for (ObjectNode r : latest) {
            StringBuilder route = new StringBuilder();
            r.path("routeWeights").fields().forEachRemaining(e -> route.append(route.length() == 0 ? "" : ", ")
                    .append(e.getKey()).append(' ').append(e.getValue().asText()));
            out.println(String.format(Locale.ROOT,
                    "[traffic %s] %s/%s: canary %6.2f%% of the last %,d requests | spec.weight %s%% | observed %s | "
                            + "pod ratio %.2f%% (%d of %d pods) | route %s: %s%s | %s",
                    time, r.path("namespace").asText(), r.path("name").asText(), r.path("canaryShare").asDouble(),
                    r.path("requests").asInt(), plain(r.path("specWeight")),
                    r.path("observedShare").isNumber() ? plain(r.path("observedShare")) + "%" : "-",
                    r.path("podRatio").asDouble(),
                    r.path("canaryReplicas").asInt(), r.path("canaryReplicas").asInt() + r.path("stableReplicas").asInt(),
                    r.path("virtualService").asText(r.path("httpRoute").asText("-")), route,
                    r.path("errors").asInt() > 0 ? " | " + r.path("errors").asInt() + " x 503" : "",
                    r.path("phase").asText("no status yet")));
        }
    }

    private static String plain(JsonNode number) {
        return number.isNumber() ? number.decimalValue().stripTrailingZeros().toPlainString() : "-";
    }

    /**
     * Sends one request to the host in the namespace, with these headers ({@code header}: a header's value by name,
     * any case, or null), through the VirtualService's (or mesh HTTPRoute's) routes as they stand, and says where it
     * went: the route it took, the Deployment and version of the pod that answered and its status code (404 when no
     * route matched, 503 when the destination has no ready pods). Not counted in the view's shares nor in the metrics.
     */
    ObjectNode request(String namespace, String host, String path, java.util.function.Function<String, String> header) {
        NamespaceObjects ns = new NamespaceObjects(client, namespace);
        NamespaceObjects.Routed routed = ns.request(host, path, header);
        ObjectNode answer = JSON.createObjectNode().put("namespace", namespace).put("host", host).put("path", path);
        if (routed.kind() != null) {
            answer.put(routed.kind(), routed.object());
        }
        answer.put("route", routed.route());
        String served = routed.unmatched() ? null : simulator.serve(routed.destinations());
        answer.put("deployment", served).put("version", served == null ? null : ns.version(served));
        answer.put("code", served != null ? simulator.answer(served.endsWith("-canary"), ns.latencyFactor(served)).code()
                : routed.unmatched() ? 404 : 503);
        return answer;
    }

    /** Serves the view, Istio's metrics and the faults switch ({@link TrafficEndpoints}) on the loopback interface. */
    com.sun.net.httpserver.HttpServer serve(int port) throws IOException {
        return TrafficEndpoints.serve(this, port);
    }

    /**
     * The route one Canary's host takes, resolved down to pods: the VirtualService or HTTPRoute ({@code name}, null
     * when none routes it) in the Canary's dialect.
     */
    record Route(String dialect, String name, List<Destination> destinations) {
    }
}
