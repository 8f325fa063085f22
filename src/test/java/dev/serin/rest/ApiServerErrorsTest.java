package dev.serin.rest;

import dev.serin.IstioDiscovery;
import static dev.serin.rest.CanaryApiTest.PROBLEM;
import static dev.serin.rest.CanaryApiTest.admin;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serin.api.v1alpha1.Canary;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** When the Kubernetes API server refuses what Serin asks on a caller's behalf, the caller learns whose problem it is. */
@QuarkusTest
@TestProfile(KubernetesAuthProfile.class)
// fabric8's plain mock: its expectations inject the refusals this test is about
@WithKubernetesTestServer(crud = true, setup = IstioDiscovery.V1.class)
class ApiServerErrorsTest {
    /** Serin's writes name their field manager (the mock server matches the whole path with its query). */
    static final String SERIN = "?fieldManager=serin";

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    @BeforeEach
    void setUp() {
        FakeKubeAuth.install(server);
        FakeKubeAuth.user(CanaryApiTest.ADMIN_TOKEN, "admin", "ops");
        FakeKubeAuth.allow("group:ops", "*", "get", "list", "patch", "create", "delete");
    }

    static String canaries(String ns) {
        return "/apis/serin.dev/v1alpha1/namespaces/" + ns + "/canaries";
    }

    @Test
    void aPermissionSerinLacksIs500NamingItAsTheOperatorsProblem() {
        String ns = Fixtures.namespace(client, "rbac");
        Canary before = Fixtures.canary(client, ns, "web", "web", 5, null);
        String message = "canaries.serin.dev \"web\" is forbidden: User \"system:serviceaccount:serin-system:serin\""
                + " cannot patch resource \"canaries\" in API group \"serin.dev\" in the namespace \"" + ns + "\"";
        server.expect().patch().withPath(canaries(ns) + "/web" + SERIN)
                .andReturn(403, Serialization.asJson(new StatusBuilder().withKind("Status").withApiVersion("v1")
                        .withStatus("Failure").withReason("Forbidden").withCode(403).withMessage(message).build()))
                .always();

        admin().contentType(ContentType.JSON).body("{\"weight\": 12.5}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                .statusCode(500)
                .contentType(PROBLEM)
                .body("type", equalTo("https://serin.dev/problems/serin-forbidden"))
                .body("title", equalTo("Serin lacks a permission"))
                .body("status", equalTo(500))
                .body("detail", allOf(containsString("may not patch canaries"), containsString("serin.dev"),
                        containsString("namespace " + ns), containsString("RBAC"), containsString("not of your request"),
                        containsString(message)));
        assertEquals(before.getMetadata().getResourceVersion(),
                Fixtures.get(client, ns, "web").getMetadata().getResourceVersion());
    }

    @Test
    void anObjectTheApiServerFindsInvalidIs422WithItsCauses() {
        String ns = Fixtures.namespace(client, "invalid");
        String message = "Canary.serin.dev \"shop\" is invalid: [spec.weight: Invalid value: 12.5: must be a whole"
                + " percent, metadata.labels: Invalid value: \"x y\": a valid label must be ...]";
        server.expect().post().withPath(canaries(ns) + SERIN)
                .andReturn(422, Serialization.asJson(new StatusBuilder().withKind("Status").withApiVersion("v1")
                        .withStatus("Failure").withReason("Invalid").withCode(422).withMessage(message)
                        .withNewDetails().withName("shop").withGroup("serin.dev").withKind("Canary")
                        .withCauses(new StatusCauseBuilder().withReason("FieldValueInvalid").withField("spec.weight")
                                        .withMessage("Invalid value: 12.5: must be a whole percent").build(),
                                new StatusCauseBuilder().withReason("FieldValueInvalid").withField("metadata.labels")
                                        .withMessage("Invalid value: \"x y\": a valid label must be ...").build(),
                                new StatusCauseBuilder().withReason("FieldValueRequired")
                                        .withMessage("something without a field").build())
                        .endDetails().build()))
                .always();

        admin().contentType(ContentType.JSON).body("{\"name\": \"shop\", \"target\": \"shop\", \"weight\": 12.5}")
                .post("/api/v1/namespaces/{ns}/canaries", ns).then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("type", equalTo("https://serin.dev/problems/kubernetes-invalid"))
                .body("status", equalTo(422))
                .body("detail", equalTo(message))
                .body("errors", hasSize(3))
                .body("errors[0].field", equalTo("spec.weight"))
                .body("errors[0].message", equalTo("Invalid value: 12.5: must be a whole percent"))
                .body("errors[1].field", equalTo("metadata.labels"))
                .body("errors[2].field", nullValue())
                .body("errors[2].message", equalTo("something without a field"));
    }

    @Test
    void otherRefusalsStay502() {
        String ns = Fixtures.namespace(client, "other");
        Fixtures.canary(client, ns, "web", "web", 5, null);
        // a 403 that is no RBAC denial of Serin's (here: the namespace is being deleted) is not the operator's
        String terminating = "canaries.serin.dev \"web\" is forbidden: unable to create new content in namespace "
                + ns + " because it is being terminated";
        server.expect().patch().withPath(canaries(ns) + "/web" + SERIN)
                .andReturn(403, Serialization.asJson(new StatusBuilder().withKind("Status").withApiVersion("v1")
                        .withStatus("Failure").withReason("Forbidden").withCode(403).withMessage(terminating).build()))
                .once();
        admin().contentType(ContentType.JSON).body("{\"weight\": 7}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                .statusCode(502).contentType(PROBLEM)
                .body("type", equalTo("https://serin.dev/problems/kubernetes-api"))
                .body("errors", nullValue());

        server.expect().patch().withPath(canaries(ns) + "/web" + SERIN)
                .andReturn(400, Serialization.asJson(new StatusBuilder().withKind("Status").withApiVersion("v1")
                        .withStatus("Failure").withReason("BadRequest").withCode(400).withMessage("bad patch").build()))
                .once();
        admin().contentType(ContentType.JSON).body("{\"weight\": 7}")
                .put("/api/v1/namespaces/{ns}/canaries/web/weight", ns).then()
                .statusCode(502).contentType(PROBLEM).body("detail", containsString("400"));
    }
}
