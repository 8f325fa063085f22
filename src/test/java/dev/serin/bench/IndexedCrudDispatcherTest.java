package dev.serin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The benchmark's indexed store answers what fabric8's CRUD mock answers, for the requests the benchmark sends. */
class IndexedCrudDispatcherTest {
    static final ResourceDefinitionContext VS = new ResourceDefinitionContext.Builder().withGroup("networking.istio.io")
            .withVersion("v1").withPlural("virtualservices").withKind("VirtualService").withNamespaced(true).build();

    @Test
    void answersAsTheLinearScanDoes() {
        List<String> plain = scenario(new KubernetesCrudDispatcher());
        List<String> indexed = scenario(new IndexedCrudDispatcher());
        assertEquals(plain, indexed);
    }

    @Test
    void forgetsWhatIsDeleted() {
        IndexedStore store = new IndexedStore();
        var key = new io.fabric8.mockwebserver.crud.AttributeSet(
                new io.fabric8.mockwebserver.crud.Attribute("plural", "configmaps"),
                new io.fabric8.mockwebserver.crud.Attribute("namespace", "a"),
                new io.fabric8.mockwebserver.crud.Attribute("name", "x"));
        store.put(key, "{}");
        assertEquals(Map.entry(key, "{}"), store.find(key));
        store.remove(key);
        assertNull(store.find(key));
        assertEquals(0, store.entrySet().size());
    }

    /** Writes and reads through a real fabric8 client; returns what each read saw (names, data, codes). */
    static List<String> scenario(Dispatcher dispatcher) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                new HashMap<>(), dispatcher, false);
        server.init();
        try (KubernetesClient client = server.createClient()) {
            for (String ns : List.of("a", "b")) {
                for (int i = 0; i < 3; i++) {
                    client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
                            .withName("c" + i).addToLabels("app", i == 0 ? "one" : "many").endMetadata()
                            .addToData("k", ns + i).build()).create();
                    client.genericKubernetesResources(VS).inNamespace(ns).resource(vs("v" + i)).create();
                }
            }
            Function<List<? extends HasMetadata>, String> names = items -> items.stream()
                    .map(o -> o.getMetadata().getNamespace() + "/" + o.getMetadata().getName()).sorted().toList().toString();
            List<String> seen = new java.util.ArrayList<>();
            seen.add(names.apply(client.configMaps().inNamespace("a").list().getItems()));
            seen.add(names.apply(client.configMaps().inAnyNamespace().list().getItems()));
            seen.add(names.apply(client.configMaps().inAnyNamespace().withLabel("app", "many").list().getItems()));
            seen.add(names.apply(client.configMaps().inAnyNamespace().withLabelNotIn("app", "many").list().getItems()));
            seen.add(names.apply(client.genericKubernetesResources(VS).inAnyNamespace().list().getItems()));
            seen.add(client.configMaps().inNamespace("b").withName("c2").get().getData().toString());
            seen.add(String.valueOf(client.configMaps().inNamespace("b").withName("nope").get()));
            ConfigMap stub = new ConfigMapBuilder().withNewMetadata().withName("c1").withNamespace("a").endMetadata().build();
            client.configMaps().inNamespace("a").resource(stub).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"data\":{\"k\":\"patched\"}}");
            seen.add(client.configMaps().inNamespace("a").withName("c1").get().getData().toString());
            GenericKubernetesResource v = client.genericKubernetesResources(VS).inNamespace("a").withName("v1").get();
            v.getAdditionalProperties().put("spec", Map.of("hosts", List.of("h2")));
            client.genericKubernetesResources(VS).inNamespace("a").resource(v).update();
            seen.add(client.genericKubernetesResources(VS).inNamespace("a").withName("v1").get()
                    .getAdditionalProperties().get("spec").toString());
            client.configMaps().inNamespace("a").withName("c0").delete();
            client.configMaps().inNamespace("b").delete();
            seen.add(names.apply(client.configMaps().inAnyNamespace().list().getItems()));
            seen.add(names.apply(client.genericKubernetesResources(VS).inNamespace("b").list().getItems()));
            return seen;
        } finally {
            server.destroy();
        }
    }

    static GenericKubernetesResource vs(String name) {
        return new GenericKubernetesResourceBuilder().withApiVersion("networking.istio.io/v1").withKind("VirtualService")
                .withNewMetadata().withName(name).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("hosts", List.of("h")))).build();
    }
}
