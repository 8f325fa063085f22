package dev.serin.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plays a Gateway API implementation in tests: writes an HTTPRoute's {@code status.parents} as one would that has
 * programmed the route, one entry per parentRef with {@code Accepted} and {@code ResolvedRefs} True at
 * {@code observedGeneration} = the route's {@code metadata.generation}. Entries of other controllers are kept.
 * {@link #accept} does it once; {@link #start} keeps every HTTPRoute of a namespace current until {@link #close},
 * and {@link #pause} holds it back, as a slow implementation would. It reports under {@link #CONTROLLER_NAME}, or
 * under the controllerName it is given: {@link #ISTIO} plays Istio's gateway controller, another name another
 * implementation.
 */
public final class GatewayImplementation implements AutoCloseable {
    public static final String CONTROLLER_NAME = "gateway.example.dev/strict-test-implementation";
    /** The controllerName Istio's gateway controller writes (its GatewayClass {@code istio}). */
    public static final String ISTIO = "istio.io/gateway-controller";
    public static final ResourceDefinitionContext HTTP_ROUTES = new ResourceDefinitionContext.Builder()
            .withGroup("gateway.networking.k8s.io").withVersion("v1").withPlural("httproutes").withKind("HTTPRoute")
            .withNamespaced(true).build();

    private final KubernetesClient client;
    private final Clock clock;
    private final String controllerName;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
    private volatile boolean paused;

    public GatewayImplementation(KubernetesClient client) {
        this(client, Clock.systemUTC());
    }

    public GatewayImplementation(KubernetesClient client, Clock clock) {
        this(client, clock, CONTROLLER_NAME);
    }

    /** An implementation that reports under {@code controllerName}. */
    public GatewayImplementation(KubernetesClient client, String controllerName) {
        this(client, Clock.systemUTC(), controllerName);
    }

    private GatewayImplementation(KubernetesClient client, Clock clock, String controllerName) {
        this.client = client;
        this.clock = clock;
        this.controllerName = controllerName;
    }

    /** Marks the route accepted at its current generation now; returns the route as stored after. */
    public GenericKubernetesResource accept(String namespace, String name) {
        GenericKubernetesResource route = client.genericKubernetesResources(HTTP_ROUTES).inNamespace(namespace)
                .withName(name).get();
        return write(route);
    }

    /** Keeps every HTTPRoute in the namespace accepted at its current generation until {@link #close}. */
    public GatewayImplementation start(String namespace) {
        informers.add(client.genericKubernetesResources(HTTP_ROUTES).inNamespace(namespace).inform(
                new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource route) {
                        catchUp(route);
                    }

                    @Override
                    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource route) {
                        catchUp(route);
                    }

                    @Override
                    public void onDelete(GenericKubernetesResource route, boolean unknown) {
                    }
                }));
        return this;
    }

    /** While paused, {@link #start}'s routes keep the status they have (observedGeneration falls behind). */
    public void pause(boolean pause) {
        paused = pause;
        if (!pause) {
            informers.forEach(informer -> informer.getStore().list().forEach(this::catchUp));
        }
    }

    /** Whether every entry the default implementation wrote reports the route's current generation. */
    public static boolean observedCurrent(GenericKubernetesResource route) {
        return observedCurrent(route, CONTROLLER_NAME);
    }

    private static boolean observedCurrent(GenericKubernetesResource route, String controllerName) {
        JsonNode object = Store.parse(Serialization.asJson(route));
        long generation = object.path("metadata").path("generation").asLong();
        List<JsonNode> ours = ours(object, controllerName);
        return !ours.isEmpty() && ours.stream().allMatch(parent -> parent.path("conditions").findValues(
                "observedGeneration").stream().allMatch(g -> g.asLong() == generation));
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }

    private void catchUp(GenericKubernetesResource route) {
        JsonNode object = Store.parse(Serialization.asJson(route));
        if (paused || observedCurrent(route, controllerName)
                && ours(object, controllerName).size() == object.at("/spec/parentRefs").size()) {
            return;
        }
        try {
            write(route);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409 && e.getCode() != 404) {
                throw e;
            }
            // the route changed or went meanwhile: its next event brings the new version
        }
    }

    private GenericKubernetesResource write(GenericKubernetesResource route) {
        ObjectNode object = (ObjectNode) Store.parse(Serialization.asJson(route));
        long generation = object.path("metadata").path("generation").asLong();
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        ArrayNode parents = KubeStatus.JSON.createArrayNode();
        object.path("status").path("parents").forEach(parent -> {
            if (!controllerName.equals(parent.path("controllerName").asText())) {
                parents.add(parent); // another implementation's entry
            }
        });
        for (JsonNode parentRef : object.path("spec").path("parentRefs")) {
            ObjectNode entry = parents.addObject();
            entry.set("parentRef", parentRef);
            entry.put("controllerName", controllerName);
            ArrayNode conditions = entry.putArray("conditions");
            conditions.add(condition("Accepted", "Accepted", "Route is accepted", generation, now));
            conditions.add(condition("ResolvedRefs", "ResolvedRefs", "All references resolved", generation, now));
        }
        object.putObject("status").set("parents", parents);
        GenericKubernetesResource updated = Serialization.unmarshal(object.toString(), GenericKubernetesResource.class);
        return client.genericKubernetesResources(HTTP_ROUTES).inNamespace(route.getMetadata().getNamespace())
                .resource(updated).updateStatus();
    }

    private static ObjectNode condition(String type, String reason, String message, long generation, String now) {
        return KubeStatus.JSON.createObjectNode().put("type", type).put("status", "True").put("reason", reason)
                .put("message", message).put("observedGeneration", generation).put("lastTransitionTime", now);
    }

    private static List<JsonNode> ours(JsonNode route, String controllerName) {
        List<JsonNode> ours = new ArrayList<>();
        route.path("status").path("parents").forEach(parent -> {
            if (controllerName.equals(parent.path("controllerName").asText())) {
                ours.add(parent);
            }
        });
        return ours;
    }

    /** The conditions this implementation reported for the route's first parentRef, by type. */
    public static Map<String, JsonNode> conditions(GenericKubernetesResource route) {
        Map<String, JsonNode> byType = new java.util.LinkedHashMap<>();
        ours(Store.parse(Serialization.asJson(route)), CONTROLLER_NAME).stream().findFirst().ifPresent(parent -> parent.path("conditions")
                .forEach(c -> byType.put(c.path("type").asText(), c)));
        return byType;
    }
}
