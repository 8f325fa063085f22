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
        Map<String, Namespace> namespaces = new HashMap<>();
        for (GenericKubernetesResource item : client.genericKubernetesResources(CANARIES).inAnyNamespace().list()
                .getItems()) {
            JsonNode json = JSON.valueToTree(item);
            Canary canary = LENIENT.convertValue(json, Canary.class);
            if (canary.getSpec() == null) {
                continue;
            }
            ResolvedCanary c = ResolvedCanary.of(canary);
            Namespace ns = namespaces.computeIfAbsent(c.namespace(), Namespace::new);
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

    private ObjectNode row(Canary canary, JsonNode observed, ResolvedCanary c, Namespace ns, Route route,
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

    /** One namespace's objects, read once per tick. */
    private final class Namespace {
        private final String name;
        private final List<Deployment> deployments;
        private final Map<String, Service> services = new HashMap<>();
        private final Map<String, JsonNode> virtualServices = new LinkedHashMap<>();
        private final List<JsonNode> destinationRules = new ArrayList<>();
        private final Map<String, JsonNode> httpRoutes = new HashMap<>();

        Namespace(String name) {
            this.name = name;
            this.deployments = client.apps().deployments().inNamespace(name).list().getItems();
            client.services().inNamespace(name).list().getItems().forEach(s -> services.put(s.getMetadata().getName(), s));
            for (GenericKubernetesResource vs : client.genericKubernetesResources(DemoSeed.ISTIO.virtualServices())
                    .inNamespace(name).list().getItems()) {
                virtualServices.put(vs.getMetadata().getName(), JSON.valueToTree(vs));
            }
            for (GenericKubernetesResource dr : client.genericKubernetesResources(DemoSeed.ISTIO.destinationRules())
                    .inNamespace(name).list().getItems()) {
                destinationRules.add(JSON.valueToTree(dr));
            }
            for (GenericKubernetesResource route : client.genericKubernetesResources(DemoSeed.HTTP_ROUTES)
                    .inNamespace(name).list().getItems()) {
                httpRoutes.put(route.getMetadata().getName(), JSON.valueToTree(route));
            }
        }

        /** The Deployment as Istio's metrics name it, reached through the host's Service; null when it is gone. */
        IstioMetrics.Workload workload(String deployment, String host) {
            return deployments.stream().filter(d -> d.getMetadata().getName().equals(deployment)).findFirst()
                    .map(d -> {
                        Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
                        labels = labels == null ? Map.of() : labels;
                        return new IstioMetrics.Workload(name, deployment, labels.get("app"), labels.get("version"),
                                host.split("\\.")[0]);
                    }).orElse(null);
        }

        /** How many times slower than usual the Deployment's pods answer ({@link TrafficSimulator#latencyFactor}). */
        double latencyFactor(String deployment) {
            return deployments.stream().filter(d -> d.getMetadata().getName().equals(deployment)).findFirst()
                    .map(d -> TrafficSimulator.latencyFactor(d.getSpec().getTemplate().getMetadata().getAnnotations()))
                    .orElse(1.0);
        }

        int replicas(String deployment) {
            return deployments.stream().filter(d -> d.getMetadata().getName().equals(deployment)).findFirst()
                    .map(ReadyReplicas::replicas).orElse(0);
        }

        Route route(ResolvedCanary c, List<String> routeNames) {
            for (String vsName : routeNames) {
                JsonNode vs = virtualServices.get(vsName);
                if (vs == null) {
                    continue;
                }
                JsonNode http = chooseRoute(vs.path("spec").path("http"), c.host());
                if (http == null) {
                    continue;
                }
                List<Destination> destinations = new ArrayList<>();
                JsonNode list = http.path("route");
                for (JsonNode d : list) {
                    JsonNode dest = d.path("destination");
                    String host = dest.path("host").asText();
                    String subset = dest.hasNonNull("subset") ? dest.path("subset").asText() : null;
                    int weight = d.has("weight") ? d.path("weight").asInt() : (list.size() == 1 ? 100 : 0);
                    destinations.add(new Destination(subset, weight, endpoints(host, subset)));
                }
                return new Route(TrafficTargets.ISTIO, vsName, destinations);
            }
            // no VirtualService: kube-proxy spreads requests over every pod of the Service
            return new Route(TrafficTargets.ISTIO, null, List.of(new Destination(null, 100, endpoints(c.host(), null))));
        }

        /** The rule of the Canary's HTTPRoutes a plain request to its host takes, destinations named by Service. */
        Route httpRoute(ResolvedCanary c, List<String> routeNames) {
            String host = c.host().split("\\.")[0];
            Set<String> services = Set.of(host, ServiceNames.stable(c.name()), ServiceNames.canary(c.name()));
            for (String routeName : routeNames) {
                JsonNode route = httpRoutes.get(routeName);
                List<Destination> destinations = route == null ? null
                        : HttpRouteDestinations.of(route, services, service -> endpoints(service, null));
                if (destinations != null) {
                    return new Route(TrafficTargets.GATEWAY_API, routeName, destinations);
                }
            }
            return new Route(TrafficTargets.GATEWAY_API, null,
                    List.of(new Destination(host, 1, endpoints(host, null))));
        }

        /** The route a plain request takes: the first without match conditions, else the first to the host. */
        private JsonNode chooseRoute(JsonNode routes, String host) {
            for (JsonNode r : routes) {
                if (!r.has("match") || r.path("match").isEmpty()) {
                    return r;
                }
            }
            for (JsonNode r : routes) {
                for (JsonNode d : r.path("route")) {
                    if (HostName.same(d.path("destination").path("host").asText(), host, name)) {
                        return r;
                    }
                }
            }
            return null;
        }

        /** Ready pods, per Deployment, that the host's Service selects, narrowed by the subset's labels. */
        private List<Backend> endpoints(String host, String subset) {
            String shortName = host.split("\\.")[0]; // the Service of that name in this namespace
            Map<String, String> selector = new HashMap<>();
            Service service = services.get(shortName);
            if (service != null && service.getSpec().getSelector() != null) {
                selector.putAll(service.getSpec().getSelector());
            } else {
                return List.of();
            }
            if (subset != null) {
                JsonNode labels = subsetLabels(host, subset);
                if (labels == null) {
                    return List.of(); // Envoy: no such subset, no healthy upstream
                }
                labels.fields().forEachRemaining(e -> selector.put(e.getKey(), e.getValue().asText()));
            }
            List<Backend> backends = new ArrayList<>();
            for (Deployment d : deployments) {
                Map<String, String> labels = d.getSpec().getTemplate().getMetadata().getLabels();
                int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                        : d.getStatus().getReadyReplicas();
                if (labels != null && labels.entrySet().containsAll(selector.entrySet()) && ready > 0) {
                    backends.add(new Backend(d.getMetadata().getName(), ready));
                }
            }
            return backends;
        }

        private JsonNode subsetLabels(String host, String subset) {
            for (JsonNode dr : destinationRules) {
                if (HostName.same(dr.path("spec").path("host").asText(), host, name)) {
                    for (JsonNode s : dr.path("spec").path("subsets")) {
                        if (subset.equals(s.path("name").asText())) {
                            return s.path("labels");
                        }
                    }
                }
            }
            return null;
        }
    }
}
