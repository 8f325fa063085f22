package dev.serin;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.CanaryTemplate;
import dev.serin.api.v1alpha1.ContainerPatch;
import dev.serin.api.v1alpha1.TargetRef;
import dev.serin.cluster.IstioResources;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A demo service in a fresh namespace, and the moves a test makes on it (playing the Deployment controller too). */
public final class Fixture {
    public static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    public final KubernetesClient client;
    public final String namespace;
    /** The Istio version the test's API server serves (and Serin should use): v1 unless {@link #onIstio} says. */
    public IstioResources istio = IstioResources.at("v1");

    public Fixture(KubernetesClient client) {
        this(client, "t" + SEQUENCE.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100000, 36));
    }

    public Fixture(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .create();
    }

    /** Reads and writes VirtualServices and DestinationRules at this networking.istio.io version. */
    public Fixture onIstio(String version) {
        istio = IstioResources.at(version);
        return this;
    }

    /** Deployment {@code name} (app=name, version=v1, one container "app"), VirtualService and DestinationRule. */
    public Fixture service(String name, int replicas) {
        deployment(name, replicas, Map.of("app", name, "version", "v1"));
        istio(virtualService(name, """
                {"hosts": ["%1$s"],
                 "gateways": ["mesh"],
                 "http": [
                   {"name": "admin", "match": [{"uri": {"prefix": "/admin"}}], "route": [{"destination": {"host": "admin"}}]},
                   {"name": "main", "retries": {"attempts": 3, "perTryTimeout": "2s"}, "timeout": "10s",
                    "headers": {"request": {"set": {"x-env": "prod"}}},
                    "route": [{"destination": {"host": "%1$s", "port": {"number": 80}}}]}
                 ]}""".formatted(name)));
        istio(destinationRule(name, """
                {"host": "%s", "trafficPolicy": {"connectionPool": {"tcp": {"maxConnections": 100}}},
                 "subsets": [{"name": "legacy", "labels": {"version": "v0"}}]}""".formatted(name)));
        return this;
    }

    public Deployment deployment(String name, int replicas, Map<String, String> podLabels) {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec()
                .addNewContainer().withName("app").withImage("registry.example/" + name + ":v1")
                .addNewEnv().withName("MODE").withValue("stable").endEnv()
                .addNewEnv().withName("FLAG").withValue("off").endEnv()
                .endContainer()
                .addNewContainer().withName("sidecar").withImage("registry.example/sidecar:1").endContainer()
                .endSpec().endTemplate().endSpec().build();
        return client.apps().deployments().inNamespace(namespace).resource(d).create();
    }

    public GenericKubernetesResource virtualService(String name, String specJson) {
        return generic("VirtualService", name, specJson);
    }

    public GenericKubernetesResource destinationRule(String name, String specJson) {
        return generic("DestinationRule", name, specJson);
    }

    private GenericKubernetesResource generic(String kind, String name, String specJson) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(istio.apiVersion());
        r.setKind(kind);
        r.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        r.setAdditionalProperty("spec", JSON.unmarshal(specJson, Map.class));
        return r;
    }

    public GenericKubernetesResource istio(GenericKubernetesResource r) {
        var context = "VirtualService".equals(r.getKind()) ? istio.virtualServices() : istio.destinationRules();
        return client.genericKubernetesResources(context).inNamespace(namespace).resource(r).create();
    }

    public Canary canary(String name, String target, double weight, String version) {
        Canary c = new Canary();
        c.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        CanarySpec spec = new CanarySpec();
        spec.targetRef = new TargetRef(target);
        spec.weight = weight;
        spec.canary = new CanaryTemplate();
        spec.canary.version = version;
        ContainerPatch app = new ContainerPatch("app", "registry.example/" + target + ":" + version);
        app.env = List.of(new io.fabric8.kubernetes.api.model.EnvVar("FLAG", "on", null));
        spec.canary.containers = new ArrayList<>(List.of(app));
        c.setSpec(spec);
        return c;
    }

    public Canary create(Canary canary) {
        return client.resources(Canary.class).inNamespace(namespace).resource(canary).create();
    }

    public Canary getCanary(String name) {
        return client.resources(Canary.class).inNamespace(namespace).withName(name).get();
    }

    /** As {@code kubectl patch --type=merge} does: no resourceVersion, so no conflict with Serin's own writes. */
    public void setWeight(String canary, double weight) {
        client.resources(Canary.class).inNamespace(namespace).withName(canary)
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"weight\":" + weight + "}}");
    }

    /**
     * A read-modify-write as a person (or kubectl edit) makes it: on a real API server it fails with 409 when Serin
     * wrote in between, and is simply made again on what is there now.
     */
    public static <T> T retryOnConflict(java.util.function.Supplier<T> write) {
        for (int attempt = 1;; attempt++) {
            try {
                return write.get();
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= 10) {
                    throw e;
                }
            }
        }
    }

    public JsonNode vs(String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(istio.virtualServices())
                .inNamespace(namespace).withName(name).get();
        return r == null ? null : JSON.convertValue(r, JsonNode.class);
    }

    public JsonNode dr(String name) {
        GenericKubernetesResource r = client.genericKubernetesResources(istio.destinationRules())
                .inNamespace(namespace).withName(name).get();
        return r == null ? null : JSON.convertValue(r, JsonNode.class);
    }

    /** The "main" route's destinations as "subset=weight" strings, e.g. [stable=97, canary=3]. */
    public List<String> mainRoute(String vs) {
        List<String> result = new ArrayList<>();
        JsonNode node = vs(vs);
        if (node == null) {
            return result;
        }
        for (JsonNode route : node.path("spec").path("http")) {
            if (!"admin".equals(route.path("name").asText())) {
                for (JsonNode d : route.path("route")) {
                    result.add(d.path("destination").path("subset").asText("-") + "=" + d.path("weight").asText("-"));
                }
                break;
            }
        }
        return result;
    }

    public Deployment deploymentNow(String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name).get();
    }

    /** Plays the Deployment controller: once {@code name} exists, reports all its replicas ready. */
    public Deployment markReady(String name) {
        await().atMost(Duration.ofSeconds(10)).until(() -> deploymentNow(name) != null);
        // Serin may write the Deployment between our read and our write (409): read again, as a controller would
        return retryOnConflict(() -> {
            Deployment d = deploymentNow(name);
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            d.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
                    .withUpdatedReplicas(replicas).withAvailableReplicas(replicas).build());
            return client.apps().deployments().inNamespace(namespace).resource(d).updateStatus();
        });
    }

    /** resourceVersion of every object in the namespace, and how many Events there are: equal snapshots, no writes. */
    public Map<String, String> snapshot() {
        Map<String, String> versions = new java.util.TreeMap<>();
        client.resources(Canary.class).inNamespace(namespace).list().getItems()
                .forEach(o -> versions.put("canary/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        client.apps().deployments().inNamespace(namespace).list().getItems()
                .forEach(o -> versions.put("deployment/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        for (var kind : List.of(istio.virtualServices(), istio.destinationRules())) {
            client.genericKubernetesResources(kind).inNamespace(namespace).list().getItems().forEach(o -> versions
                    .put(kind.getKind() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
        }
        versions.put("events", String.valueOf(events().size()));
        return versions;
    }

    public List<String> eventReasons() {
        return events().stream().map(io.fabric8.kubernetes.api.model.Event::getReason).toList();
    }

    public List<io.fabric8.kubernetes.api.model.Event> events() {
        return client.v1().events().inNamespace(namespace).list().getItems();
    }
}
