package dev.serin.strict.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What k8s/ lets Serin's ServiceAccount (serin-system/serin) do, read from the manifests themselves. */
class SerinRbacTest {
    static final String CANARIES = "/apis/serin.dev/v1alpha1/namespaces/demo/canaries";
    static final String LEASES = "/apis/coordination.k8s.io/v1/namespaces/serin-system/leases";

    static RbacRules rules;

    @BeforeAll
    static void readManifests() throws IOException {
        rules = RbacRules.fromKustomization(Path.of("k8s")).withDefaults();
    }

    @Test
    void canariesAreReadAndWatchedInEveryNamespace() {
        allowed("GET", CANARIES + "/shop");
        allowed("GET", "/apis/serin.dev/v1alpha1/canaries?resourceVersion=0");
        allowed("GET", "/apis/serin.dev/v1alpha1/canaries?allowWatchBookmarks=true&watch=true");
        allowed("GET", CANARIES + "?fieldSelector=metadata.name%3Dshop&watch=true");
        allowed("PATCH", CANARIES + "/shop");
        denied("DELETE", CANARIES);
    }

    @Test
    void statusSubresourceOnly() {
        allowed("PUT", CANARIES + "/shop/status");
        // nothing Serin makes is owned by a Canary, so it never sets blockOwnerDeletion (see MadeFor)
        denied("PUT", CANARIES + "/shop/finalizers");
        denied("PATCH", CANARIES + "/shop/finalizers");
        denied("PUT", CANARIES + "/shop/scale");
    }

    @Test
    void deploymentsButNotTheirScaleNorOtherWorkloads() {
        String deployments = "/apis/apps/v1/namespaces/demo/deployments";
        allowed("GET", "/apis/apps/v1/deployments?resourceVersion=0");
        allowed("POST", deployments);
        allowed("PUT", deployments + "/shop-canary");
        allowed("DELETE", deployments + "/shop-canary");
        denied("PATCH", deployments + "/shop/scale");
        denied("DELETE", deployments);
        denied("POST", "/apis/apps/v1/namespaces/demo/statefulsets");
    }

    @Test
    void istioRoutingObjectsButNoOtherIstioKinds() {
        allowed("PUT", "/apis/networking.istio.io/v1/namespaces/demo/virtualservices/shop");
        allowed("POST", "/apis/networking.istio.io/v1/namespaces/demo/destinationrules");
        allowed("GET", "/apis/networking.istio.io/v1/destinationrules?watch=true");
        denied("GET", "/apis/networking.istio.io/v1/namespaces/demo/gateways/shop");
        denied("DELETE", "/apis/networking.istio.io/v1/namespaces/demo/virtualservices");
    }

    @Test
    void coreEventsAndNamespaces() {
        allowed("POST", "/api/v1/namespaces/demo/events");
        allowed("PATCH", "/api/v1/namespaces/demo/events/shop.1"); // a repeated Event: its count, as client-go does
        denied("DELETE", "/api/v1/namespaces/demo/events/e1");
        denied("POST", "/apis/events.k8s.io/v1/namespaces/demo/events");
        allowed("GET", "/api/v1/namespaces/demo");
        denied("GET", "/api/v1/namespaces");
    }

    @Test
    void tokenAndAccessReviewsForTheRestApi() {
        allowed("POST", "/apis/authentication.k8s.io/v1/tokenreviews");
        allowed("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews");
        denied("POST", "/apis/authorization.k8s.io/v1/namespaces/demo/localsubjectaccessreviews");
    }

    @Test
    void leasesOnlyInSerinSystem() {
        allowed("GET", LEASES + "/serin-leader");
        allowed("POST", LEASES);
        allowed("PATCH", LEASES + "/serin-leader"); // renewal (LeaderElectionRbacTest)
        denied("PUT", LEASES + "/serin-leader"); // fabric8's LeaseLock never replaces the Lease
        denied("GET", "/apis/coordination.k8s.io/v1/namespaces/default/leases/serin-leader");
        denied("GET", "/apis/coordination.k8s.io/v1/leases");
    }

    @Test
    void noVerbSerinNeverSends() {
        // reads come from informers (list, watch); writes are PUTs locked to the cached resourceVersion, JSON
        // patches of Canaries, creates and deletes
        denied("PUT", CANARIES + "/shop");
        denied("GET", CANARIES + "/shop/status");
        denied("PATCH", CANARIES + "/shop/status");
        denied("GET", "/apis/apps/v1/namespaces/demo/deployments/shop");
        denied("PATCH", "/apis/apps/v1/namespaces/demo/deployments/shop");
        denied("GET", "/apis/networking.istio.io/v1/namespaces/demo/virtualservices/shop");
        denied("PATCH", "/apis/networking.istio.io/v1/namespaces/demo/destinationrules/shop");
    }

    @Test
    void nothingElse() {
        denied("GET", "/api/v1/namespaces/demo/secrets/db");
        denied("GET", "/api/v1/namespaces/demo/secrets/serin-datadog");
        denied("GET", "/api/v1/namespaces/serin-system/secrets/other");
        denied("GET", "/api/v1/namespaces/serin-system/secrets");
        denied("GET", "/api/v1/secrets");
        allowed("GET", "/api/v1/namespaces/serin-system/secrets/serin-datadog"); // the Datadog keys, by name only
        denied("GET", "/api/v1/namespaces/demo/pods");
        denied("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings");
        denied("GET", "/metrics");
        allowed("GET", "/apis/serin.dev/v1alpha1"); // discovery, as every authenticated user
    }

    @Test
    void grantsAreExpandedPerVerbAndScope() {
        var granted = rules.granted(Identity.SERIN);
        assertTrue(granted.contains(new Permission("coordination.k8s.io", "leases", "get", "serin-system")), granted.toString());
        assertTrue(granted.contains(new Permission("serin.dev", "canaries/status", "update", Permission.CLUSTER)));
        assertEquals("get coordination.k8s.io/leases in serin-system",
                new Permission("coordination.k8s.io", "leases", "get", "serin-system").toString());
        assertEquals("create events cluster-wide", new Permission("", "events", "create", Permission.CLUSTER).toString());
        assertEquals(List.of(new Permission("", "secrets", "get", "serin-system")),
                granted.stream().filter(p -> p.resource().equals("secrets")).toList(), "Serin's Datadog Secret only");
    }

    static void allowed(String method, String path) {
        Decision d = rules.authorize(Identity.SERIN, RequestAttributes.of(method, path));
        assertTrue(d.allowed(), method + " " + path + ": " + d.reason());
    }

    static void denied(String method, String path) {
        Decision d = rules.authorize(Identity.SERIN, RequestAttributes.of(method, path));
        assertFalse(d.allowed(), method + " " + path + " should be refused, but " + d.reason());
    }
}
