package dev.serin.strict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.strict.rbac.Identity;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the strict server refuses and records, on ConfigMaps, Events and Leases (no CRD needed) and its review endpoints. */
class StrictApiServerTest {
    static final String NS = "strict";
    /** Istio's VirtualService CRD as releases before 1.22 serve it: v1beta1, no v1. */
    static final com.fasterxml.jackson.databind.JsonNode ISTIO_BEFORE_1_22 = Store.parse("""
            {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
             "metadata": {"name": "virtualservices.networking.istio.io"},
             "spec": {"group": "networking.istio.io", "scope": "Namespaced",
                      "names": {"plural": "virtualservices", "singular": "virtualservice", "kind": "VirtualService"},
                      "versions": [{"name": "v1beta1", "served": true, "storage": true,
                                    "schema": {"openAPIV3Schema": {"type": "object", "x-kubernetes-preserve-unknown-fields": true}}}]}}""");
    StrictApiServer server;
    KubernetesClient admin;

    @BeforeEach
    void start() {
        // Serin may read ConfigMaps here and nothing else; the admin may do anything
        Policies.Access access = (who, request) -> who.superuser()
                || request.verb().equals("get") && "configmaps".equals(request.resource())
                        ? Optional.empty()
                        : Optional.of("configmaps \"" + request.name() + "\" is forbidden: User \"" + who.user() + "\" cannot "
                                + request.verb() + " resource \"" + request.resource() + "\"");
        Policies.Admission admission = (served, object, old) -> object.path("data").has("bad")
                ? List.of(new KubeStatus.Cause("data.bad", "FieldValueInvalid", "Invalid value: \"bad\": not allowed"))
                : List.of();
        server = new StrictApiServer(StrictApiServer.DEFAULT_ISTIO, List.of(ISTIO_BEFORE_1_22), access, admission).start();
        admin = server.admin();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    ConfigMap configMap(String name, String... keyValues) {
        ConfigMapBuilder b = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata();
        for (int i = 0; i < keyValues.length; i += 2) {
            b.addToData(keyValues[i], keyValues[i + 1]);
        }
        return b.build();
    }

    @Test
    void anUnknownTokenIs401AndAnUngrantedVerbIs403WithTheServersMessage() {
        try (KubernetesClient nobody = server.client("no-such-token")) {
            assertEquals(401, assertThrows(KubernetesClientException.class,
                    () -> nobody.configMaps().inNamespace(NS).list()).getCode());
        }
        try (KubernetesClient serin = server.client(StrictApiServer.SERIN_TOKEN)) {
            KubernetesClientException e = assertThrows(KubernetesClientException.class,
                    () -> serin.configMaps().inNamespace(NS).resource(configMap("x")).create());
            assertEquals(403, e.getCode());
            assertTrue(e.getStatus().getMessage().contains("cannot create resource \"configmaps\""), e.getMessage());
            assertEquals("Forbidden", e.getStatus().getReason());
            assertEquals("configmaps", e.getStatus().getDetails().getKind());
            assertEquals("", e.getStatus().getDetails().getGroup());
            assertNull(admin.configMaps().inNamespace(NS).withName("x").get());
        }
    }

    @Test
    void aGroupVersionNoCrdServesIsNotFound() {
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> admin
                .genericKubernetesResources("networking.istio.io/v1", "VirtualService").inNamespace(NS).list());
        assertEquals(404, e.getCode());
        assertEquals(0, admin.genericKubernetesResources("networking.istio.io/v1beta1", "VirtualService").inNamespace(NS)
                .list().getItems().size());
    }

    @Test
    void aWriteThatFailsAdmissionIs422NamingTheField() {
        KubernetesClientException e = assertThrows(KubernetesClientException.class,
                () -> admin.configMaps().inNamespace(NS).resource(configMap("x", "bad", "1")).create());
        assertEquals(422, e.getCode());
        assertEquals("data.bad", e.getStatus().getDetails().getCauses().get(0).getField());
        assertEquals("ConfigMap \"x\" is invalid: data.bad: Invalid value: \"bad\": not allowed", e.getStatus().getMessage());
    }

    @Test
    void aSecretsStringDataIsStoredAsBase64DataAndBadBase64IsRefused() {
        admin.secrets().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withName("keys").endMetadata().addToStringData("api-key", "abc").addToData("other", "eHl6").build())
                .create();
        io.fabric8.kubernetes.api.model.Secret stored = admin.secrets().inNamespace(NS).withName("keys").get();
        assertEquals(java.util.Map.of("api-key", "YWJj", "other", "eHl6"), stored.getData());
        assertTrue(stored.getStringData() == null || stored.getStringData().isEmpty(), "stringData is write-only");
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> admin.secrets().inNamespace(NS)
                .resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("bad")
                        .endMetadata().addToData("k", "not base64!").build()).create());
        assertEquals(400, e.getCode());
    }

    @Test
    void aCreateInAMissingNamespaceIs404() {
        ConfigMap cm = configMap("x");
        cm.getMetadata().setNamespace("nowhere");
        assertEquals(404, assertThrows(KubernetesClientException.class,
                () -> admin.configMaps().inNamespace("nowhere").resource(cm).create()).getCode());
    }

    @Test
    void aStaleResourceVersionIs409OnPutAndPatch() {
        ConfigMap created = admin.configMaps().inNamespace(NS).resource(configMap("x", "a", "1")).create();
        admin.configMaps().inNamespace(NS).withName("x").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"data\":{\"a\":\"2\"}}");
        created.getData().put("a", "3");
        assertEquals(409, assertThrows(KubernetesClientException.class,
                () -> admin.configMaps().inNamespace(NS).resource(created).update()).getCode());
        String stalePatch = "{\"metadata\":{\"resourceVersion\":\"" + created.getMetadata().getResourceVersion()
                + "\"},\"data\":{\"a\":\"4\"}}";
        assertEquals(409, assertThrows(KubernetesClientException.class, () -> admin.configMaps().inNamespace(NS)
                .withName("x").patch(PatchContext.of(PatchType.JSON_MERGE), stalePatch)).getCode());
        assertEquals("2", admin.configMaps().inNamespace(NS).withName("x").get().getData().get("a"));
    }

    @Test
    void everyWriteRecordsItsManagerOperationAndTime() {
        admin.configMaps().inNamespace(NS).resource(configMap("x", "a", "1")).create();
        admin.configMaps().inNamespace(NS).withName("x")
                .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager("argocd-controller").build(),
                        "{\"data\":{\"a\":\"2\"}}");
        List<ManagedFieldsEntry> entries = admin.configMaps().inNamespace(NS).withName("x").get().getMetadata()
                .getManagedFields();
        assertEquals(List.of("fabric8-kubernetes-client", "argocd-controller"),
                entries.stream().map(ManagedFieldsEntry::getManager).toList());
        entries.forEach(e -> {
            assertEquals("Update", e.getOperation());
            assertNotNull(e.getTime());
        });
    }

    @Test
    void aWriteThatChangesNothingKeepsTheResourceVersion() {
        ConfigMap created = admin.configMaps().inNamespace(NS).resource(configMap("x", "a", "1")).create();
        ConfigMap same = admin.configMaps().inNamespace(NS).resource(created).update();
        assertEquals(created.getMetadata().getResourceVersion(), same.getMetadata().getResourceVersion());
    }

    @Test
    void aMicroTimeWithoutExactlySixFractionalDigitsIs400AsTheRealServerWordsIt() {
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> admin.v1().events()
                .inNamespace(NS).resource(event("e1", "2025-03-01T10:00:29.067575836Z", "2025-03-01T10:00:29Z")).create());
        assertEquals(400, e.getCode());
        assertEquals("BadRequest", e.getStatus().getReason());
        assertEquals("Event in version \"v1\" cannot be handled as a Event: parsing time \"2025-03-01T10:00:29.067575836Z\""
                + " as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"836Z\" as \"Z07:00\"", e.getStatus().getMessage());
        assertNull(admin.v1().events().inNamespace(NS).withName("e1").get());

        Map<String, Object> lease = Map.of("apiVersion", "coordination.k8s.io/v1", "kind", "Lease",
                "metadata", Map.of("name", "l1", "namespace", NS),
                "spec", Map.of("holderIdentity", "a", "renewTime", "2025-03-01T10:00:29.067Z"));
        KubernetesClientException leaseError = assertThrows(KubernetesClientException.class, () -> admin
                .genericKubernetesResources("coordination.k8s.io/v1", "Lease").inNamespace(NS)
                .resource(Serialization.unmarshal(Serialization.asJson(lease), GenericKubernetesResource.class)).create());
        assertEquals(400, leaseError.getCode());
        assertTrue(leaseError.getStatus().getMessage().endsWith("cannot parse \".067Z\" as \".000000\""),
                leaseError.getStatus().getMessage());
    }

    @Test
    void timesAreStoredAsTheRealServerWritesThemBack() {
        admin.v1().events().inNamespace(NS).resource(event("e1", "2025-03-01T12:00:29.067575+02:00",
                "2025-03-01T10:00:29.999999999Z")).create();
        Event stored = admin.v1().events().inNamespace(NS).withName("e1").get();
        assertEquals("2025-03-01T10:00:29.067575Z", stored.getEventTime().getTime());
        assertEquals("2025-03-01T10:00:29Z", stored.getFirstTimestamp(), "a Time keeps whole seconds");
    }

    @Test
    void aPatchLeavingATimeTheServerCannotParseIs422OnThePatch() {
        admin.v1().events().inNamespace(NS).resource(event("e1", "2025-03-01T10:00:29.067575Z", "2025-03-01T10:00:29Z"))
                .create();
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> admin.v1().events()
                .inNamespace(NS).withName("e1").patch(PatchContext.of(PatchType.JSON_MERGE),
                        "{\"count\":2,\"lastTimestamp\":\"2025-03-01 10:00:30\"}"));
        assertEquals(422, e.getCode());
        assertEquals("patch", e.getStatus().getDetails().getCauses().get(0).getField());
        assertTrue(e.getStatus().getMessage().startsWith(" \"\" is invalid: patch: Invalid value: \"{"), e.getMessage());
        assertTrue(e.getStatus().getMessage().endsWith(": parsing time \"2025-03-01 10:00:30\" as"
                + " \"2006-01-02T15:04:05Z07:00\": cannot parse \" 10:00:30\" as \"T\""), e.getMessage());
    }

    Event event(String name, String eventTime, String firstTimestamp) {
        return new EventBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewInvolvedObject().withKind("ConfigMap").withName("x").withNamespace(NS).endInvolvedObject()
                .withReason("Tested").withMessage("m").withType("Normal").withAction("Test")
                .withReportingComponent("example.com/test").withReportingInstance("here")
                .withEventTime(new MicroTime(eventTime)).withFirstTimestamp(firstTimestamp).withLastTimestamp(firstTimestamp)
                .withCount(1).build();
    }

    @Test
    void tokenReviewsEchoOnlyTheAudiencesTheTokenIsGoodFor() {
        server.tokens().register("for-serin", Identity.serviceAccount("web", "deployer"), "serin");
        server.tokens().register("for-api", Identity.serviceAccount("web", "deployer"));
        TokenReview forSerin = review("for-serin", "serin");
        assertTrue(forSerin.getStatus().getAuthenticated());
        assertEquals(List.of("serin"), forSerin.getStatus().getAudiences());
        assertEquals("system:serviceaccount:web:deployer", forSerin.getStatus().getUser().getUsername());
        assertTrue(!review("for-api", "serin").getStatus().getAuthenticated(), "an API token is not good for serin");
        assertTrue(review("for-api").getStatus().getAuthenticated());
        assertTrue(!review("for-serin").getStatus().getAuthenticated(), "a serin token is not good for the API server");
        try (KubernetesClient withSerinToken = server.client("for-serin")) {
            assertEquals(401, assertThrows(KubernetesClientException.class,
                    () -> withSerinToken.configMaps().inNamespace(NS).list()).getCode());
        }
    }

    TokenReview review(String token, String... audiences) {
        return admin.authentication().v1().tokenReviews().create(new TokenReviewBuilder().withNewSpec()
                .withToken(token).withAudiences(audiences).endSpec().build());
    }

    @Test
    void backgroundDeletionRemovesDependentsOnceTheOwnerIsGone() {
        ConfigMap owner = admin.configMaps().inNamespace(NS).resource(configMap("owner")).create();
        createDependent(owner, "dep");
        admin.configMaps().inNamespace(NS).withName("owner").withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        assertNull(admin.configMaps().inNamespace(NS).withName("owner").get());
        assertNull(admin.configMaps().inNamespace(NS).withName("dep").get());
    }

    @Test
    void backgroundDeletionWaitsForTheOwnersFinalizers() {
        ConfigMap withFinalizer = configMap("owner");
        withFinalizer.getMetadata().setFinalizers(List.of("example.com/hold"));
        ConfigMap owner = admin.configMaps().inNamespace(NS).resource(withFinalizer).create();
        createDependent(owner, "dep");
        admin.configMaps().inNamespace(NS).withName("owner").withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
        assertNotNull(admin.configMaps().inNamespace(NS).withName("owner").get().getMetadata().getDeletionTimestamp());
        assertNotNull(admin.configMaps().inNamespace(NS).withName("dep").get(), "kept while the owner waits");
        admin.configMaps().inNamespace(NS).withName("owner").edit(c -> {
            c.getMetadata().setFinalizers(List.of());
            return c;
        });
        assertNull(admin.configMaps().inNamespace(NS).withName("owner").get());
        assertNull(admin.configMaps().inNamespace(NS).withName("dep").get());
    }

    @Test
    void foregroundDeletionRemovesDependentsBeforeTheOwnersFinalizersRun() {
        ConfigMap withFinalizer = configMap("owner");
        withFinalizer.getMetadata().setFinalizers(List.of("example.com/hold"));
        ConfigMap owner = admin.configMaps().inNamespace(NS).resource(withFinalizer).create();
        createDependent(owner, "dep");
        admin.configMaps().inNamespace(NS).withName("owner").withPropagationPolicy(DeletionPropagation.FOREGROUND).delete();
        assertNull(admin.configMaps().inNamespace(NS).withName("dep").get());
        assertNotNull(admin.configMaps().inNamespace(NS).withName("owner").get(), "still held by its finalizer");
    }

    @Test
    void aDeletionWhosePreconditionNamesAnOlderVersionIsAConflict() {
        ConfigMap created = admin.configMaps().inNamespace(NS).resource(configMap("cm", "k", "v")).create();
        admin.configMaps().inNamespace(NS).withName("cm").edit(cm -> {
            cm.getData().put("k", "changed");
            return cm;
        });
        KubernetesClientException stale = assertThrows(KubernetesClientException.class, () -> admin.configMaps()
                .inNamespace(NS).withName("cm").lockResourceVersion(created.getMetadata().getResourceVersion()).delete());
        assertEquals(409, stale.getCode());
        String now = admin.configMaps().inNamespace(NS).withName("cm").get().getMetadata().getResourceVersion();
        admin.configMaps().inNamespace(NS).withName("cm").lockResourceVersion(now).delete();
        assertNull(admin.configMaps().inNamespace(NS).withName("cm").get());
    }

    @Test
    void orphanDeletionStripsTheOwnerReferences() {
        ConfigMap owner = admin.configMaps().inNamespace(NS).resource(configMap("owner")).create();
        createDependent(owner, "dep");
        admin.configMaps().inNamespace(NS).withName("owner").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        ConfigMap dependent = admin.configMaps().inNamespace(NS).withName("dep").get();
        assertNotNull(dependent);
        assertTrue(dependent.getMetadata().getOwnerReferences() == null
                || dependent.getMetadata().getOwnerReferences().isEmpty());
    }

    void createDependent(ConfigMap owner, String name) {
        ConfigMap dependent = configMap(name);
        dependent.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                .withApiVersion("v1").withKind("ConfigMap").withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid()).build()));
        admin.configMaps().inNamespace(NS).resource(dependent).create();
    }
}
