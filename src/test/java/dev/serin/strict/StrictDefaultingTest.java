package dev.serin.strict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.strict.validation.CrdValidator;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The strict server fills in a CRD's {@code default:} values on create, update and patch, before it validates and
 * before it compares with what it holds, as kube-apiserver does: a client that leaves a defaulted field out writes
 * nothing new.
 */
class StrictDefaultingTest {
    static final String NS = "defaults";
    static final ResourceDefinitionContext WIDGETS = new ResourceDefinitionContext.Builder().withGroup("example.dev")
            .withVersion("v1").withPlural("widgets").withKind("Widget").withNamespaced(true).build();
    static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.dev}
            spec:
              group: example.dev
              scope: Namespaced
              names: {kind: Widget, plural: widgets, singular: widget}
              versions:
              - name: v1
                served: true
                storage: true
                subresources: {status: {}}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        x-kubernetes-validations:
                        - rule: self.mode == 'Fast' || self.mode == 'Slow'
                          message: mode must be set
                        properties:
                          mode: {type: string, default: Fast}
                          backends:
                            type: array
                            items:
                              type: object
                              required: [name]
                              properties:
                                name: {type: string}
                                weight: {type: integer, default: 1}
                      status:
                        type: object
                        properties:
                          phase: {type: string, default: Pending}
            """;

    @TempDir
    Path dir;
    StrictApiServer server;
    KubernetesClient admin;

    @BeforeEach
    void start() throws Exception {
        Path file = dir.resolve("widgets.yaml");
        Files.writeString(file, CRD);
        CrdValidator crds = CrdValidator.load(List.of(file));
        Policies.Admission admission = (served, object, old) -> crds.resource(served.group(), served.version(),
                served.plural()).isEmpty() ? List.of() : crds.validate(served.group(), served.version(),
                        served.plural(), object, old).stream()
                        .map(e -> new KubeStatus.Cause(e.field(), e.type(), e.message())).toList();
        server = new StrictApiServer(StrictApiServer.DEFAULT_ISTIO, StrictApiServer.readYaml(file),
                Policies.Access.ALLOW_ALL, StrictCluster.defaulting(List.of(file)), admission).start();
        admin = server.admin();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    GenericKubernetesResource widget(String specJson) {
        GenericKubernetesResource w = new GenericKubernetesResource();
        w.setApiVersion("example.dev/v1");
        w.setKind("Widget");
        w.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("w").withNamespace(NS).build());
        w.setAdditionalProperty("spec", Serialization.unmarshal(specJson, Map.class));
        return w;
    }

    JsonNode spec(GenericKubernetesResource w) {
        return Store.parse(Serialization.asJson(w)).path("spec");
    }

    @Test
    void aCreateIsDefaultedBeforeItsRulesAreChecked() {
        GenericKubernetesResource created = admin.genericKubernetesResources(WIDGETS).inNamespace(NS)
                .resource(widget("{\"backends\": [{\"name\": \"a\"}, {\"name\": \"b\", \"weight\": 3}]}")).create();
        assertEquals(Store.parse("""
                {"mode": "Fast", "backends": [{"name": "a", "weight": 1}, {"name": "b", "weight": 3}]}"""), spec(created));
    }

    @Test
    void anUpdateWithoutTheDefaultedFieldsChangesNothing() {
        var widgets = admin.genericKubernetesResources(WIDGETS).inNamespace(NS);
        String version = widgets.resource(widget("{\"backends\": [{\"name\": \"a\"}]}")).create().getMetadata()
                .getResourceVersion();
        GenericKubernetesResource again = widget("{\"backends\": [{\"name\": \"a\"}]}");
        again.getMetadata().setResourceVersion(version);
        assertEquals(version, widgets.resource(again).update().getMetadata().getResourceVersion());
        assertEquals(List.of("create"), server.writes().stream().filter(w -> w.resource().equals("widgets"))
                .map(Written.Write::verb).toList(), "only the create was stored");
    }

    @Test
    void aPatchThatRemovesOrNullsADefaultedFieldGetsTheDefaultBack() {
        var widgets = admin.genericKubernetesResources(WIDGETS).inNamespace(NS);
        widgets.resource(widget("{\"mode\": \"Slow\", \"backends\": [{\"name\": \"a\", \"weight\": 5}]}")).create();
        GenericKubernetesResource merged = widgets.withName("w").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\": {\"mode\": null}}");
        assertEquals("Fast", spec(merged).path("mode").asText());
        GenericKubernetesResource removed = widgets.withName("w").patch(PatchContext.of(PatchType.JSON),
                "[{\"op\": \"remove\", \"path\": \"/spec/backends/0/weight\"}]");
        assertEquals(1, spec(removed).at("/backends/0/weight").asInt());
    }

    @Test
    void aStatusWriteIsDefaultedToo() {
        var widgets = admin.genericKubernetesResources(WIDGETS).inNamespace(NS);
        GenericKubernetesResource created = widgets.resource(widget("{}")).create();
        created.setAdditionalProperty("status", Map.of());
        GenericKubernetesResource written = widgets.resource(created).updateStatus();
        assertEquals("Pending", Store.parse(Serialization.asJson(written)).at("/status/phase").asText());
    }
}
