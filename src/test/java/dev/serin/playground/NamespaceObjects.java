package dev.serin.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serin.playground.TrafficSimulator.Backend;
import dev.serin.playground.TrafficSimulator.Destination;
import dev.serin.playground.TrafficView.Route;
import dev.serin.reconcile.ResolvedCanary;
import dev.serin.traffic.TrafficTargets;
import dev.serin.traffic.gatewayapi.ServiceNames;
import dev.serin.traffic.istio.HostName;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** One namespace's objects, read once (per tick of the traffic view, or per simulated request). */
final class NamespaceObjects {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<Deployment> deployments;
    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, JsonNode> virtualServices = new LinkedHashMap<>();
    private final List<JsonNode> destinationRules = new ArrayList<>();
    private final Map<String, JsonNode> httpRoutes = new HashMap<>();

    NamespaceObjects(KubernetesClient client, String name) {
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
            return new Route(TrafficTargets.ISTIO, vsName, destinations(http));
        }
        // no VirtualService: kube-proxy spreads requests over every pod of the Service
        return new Route(TrafficTargets.ISTIO, null, List.of(new Destination(null, 100, endpoints(c.host(), null))));
    }

    /** An HTTP route's weighted destinations, resolved down to ready pods. */
    private List<Destination> destinations(JsonNode http) {
        List<Destination> destinations = new ArrayList<>();
        JsonNode list = http.path("route");
        for (JsonNode d : list) {
            JsonNode dest = d.path("destination");
            String host = dest.path("host").asText();
            String subset = dest.hasNonNull("subset") ? dest.path("subset").asText() : null;
            int weight = d.has("weight") ? d.path("weight").asInt() : (list.size() == 1 ? 100 : 0);
            destinations.add(new Destination(subset, weight, endpoints(host, subset)));
        }
        return destinations;
    }

    /**
     * Where one request to the host goes: through the VirtualService whose {@code hosts} name it, the first of its
     * HTTP routes whose match the request meets ({@link RequestMatch}), in order as Envoy tries them; else through an
     * HTTPRoute whose parentRef is the host's Service (mesh routing), the rule Gateway API ranks first for it
     * ({@link HttpRouteMatch}); with neither, to every pod of the host's Service (kube-proxy). {@code header} gives
     * the request's headers.
     */
    Routed request(String host, String path, Function<String, String> header) {
        for (Map.Entry<String, JsonNode> vs : virtualServices.entrySet()) {
            boolean forHost = false;
            for (JsonNode h : vs.getValue().path("spec").path("hosts")) {
                forHost |= HostName.same(h.asText(), host, name);
            }
            if (!forHost) {
                continue;
            }
            JsonNode http = vs.getValue().path("spec").path("http");
            for (int i = 0; i < http.size(); i++) {
                if (RequestMatch.matches(http.get(i), path, header)) {
                    return new Routed(VIRTUAL_SERVICE, vs.getKey(), name(http.get(i), i), destinations(http.get(i)));
                }
            }
            return new Routed(VIRTUAL_SERVICE, vs.getKey(), null, List.of()); // Envoy: no route matched, 404
        }
        String service = host.split("\\.")[0];
        for (Map.Entry<String, JsonNode> route : new TreeMap<>(httpRoutes).entrySet()) {
            boolean forHost = false;
            for (JsonNode parent : route.getValue().path("spec").path("parentRefs")) {
                forHost |= "Service".equals(parent.path("kind").asText()) && parent.path("group").asText("").isEmpty()
                        && service.equals(parent.path("name").asText())
                        && name.equals(parent.path("namespace").asText(name));
            }
            if (!forHost) {
                continue;
            }
            int i = HttpRouteMatch.rule(route.getValue(), path, header);
            if (i < 0) {
                return new Routed(HTTP_ROUTE, route.getKey(), null, List.of()); // no rule matched: 404
            }
            JsonNode rule = route.getValue().path("spec").path("rules").get(i);
            return new Routed(HTTP_ROUTE, route.getKey(), name(rule, i),
                    HttpRouteDestinations.destinations(rule, s -> endpoints(s, null)));
        }
        return new Routed(null, null, null, List.of(new Destination(null, 100, endpoints(host, null))));
    }

    private static String name(JsonNode routeOrRule, int index) {
        return routeOrRule.hasNonNull("name") ? routeOrRule.path("name").asText() : "#" + index;
    }

    static final String VIRTUAL_SERVICE = "virtualService";
    static final String HTTP_ROUTE = "httpRoute";

    /**
     * A request's way: the kind of route object that took it ({@link #VIRTUAL_SERVICE}, {@link #HTTP_ROUTE}, or null:
     * none for the host), its name, and the route or rule in it the request took (null: none matched).
     */
    record Routed(String kind, String object, String route, List<Destination> destinations) {
        boolean unmatched() {
            return object != null && route == null;
        }
    }

    /** The version label of the Deployment's pods, or null. */
    String version(String deployment) {
        return deployments.stream().filter(d -> d.getMetadata().getName().equals(deployment)).findFirst()
                .map(d -> d.getSpec().getTemplate().getMetadata().getLabels())
                .map(labels -> labels.get("version")).orElse(null);
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
