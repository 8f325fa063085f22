package dev.serin.strict.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestAttributesTest {
    private static final String CANARIES = "/apis/serin.dev/v1alpha1/namespaces/demo/canaries";

    @Test
    void getOnANameIsGetAndOnACollectionList() {
        assertEquals(resource("get", "serin.dev", "v1alpha1", "canaries", null, "demo", "shop"),
                RequestAttributes.of("GET", CANARIES + "/shop"));
        assertEquals(resource("list", "serin.dev", "v1alpha1", "canaries", null, "demo", null),
                RequestAttributes.of("GET", CANARIES));
        assertEquals("get", RequestAttributes.of("HEAD", CANARIES + "/shop").verb());
    }

    @Test
    void informerListThenWatchAcrossAllNamespaces() {
        // what a fabric8 informer sends: a list from resourceVersion 0, then a watch with bookmarks
        RequestAttributes list = RequestAttributes.of("GET", "/apis/serin.dev/v1alpha1/canaries?resourceVersion=0");
        assertEquals(resource("list", "serin.dev", "v1alpha1", "canaries", null, null, null), list);
        RequestAttributes watch = RequestAttributes.of("GET",
                "/apis/serin.dev/v1alpha1/canaries?allowWatchBookmarks=true&resourceVersion=42&timeoutSeconds=600&watch=true");
        assertEquals(resource("watch", "serin.dev", "v1alpha1", "canaries", null, null, null), watch);
        assertEquals("list", RequestAttributes.of("GET", CANARIES + "?watch=false").verb());
        assertEquals("watch", RequestAttributes.of("GET", CANARIES + "?watch=1").verb());
    }

    @Test
    void watchPathPrefix() {
        assertEquals(resource("watch", "apps", "v1", "deployments", null, "demo", null),
                RequestAttributes.of("GET", "/apis/apps/v1/watch/namespaces/demo/deployments"));
        assertEquals(resource("watch", "apps", "v1", "deployments", null, "demo", "shop"),
                RequestAttributes.of("GET", "/apis/apps/v1/watch/namespaces/demo/deployments/shop"));
    }

    @Test
    void aFieldSelectorOnTheNameNamesTheListOrWatch() {
        // fabric8's waitUntilCondition on one Canary
        RequestAttributes watch = RequestAttributes.of("GET", CANARIES + "?fieldSelector=metadata.name%3Dshop&watch=true");
        assertEquals("watch", watch.verb());
        assertEquals("shop", watch.name());
        assertEquals("shop", RequestAttributes.of("GET", CANARIES + "?fieldSelector=metadata.name%3D%3Dshop").name());
        assertNull(RequestAttributes.of("GET", CANARIES + "?fieldSelector=metadata.name%21%3Dshop").name());
        assertNull(RequestAttributes.of("GET", CANARIES + "?fieldSelector=status.phase%3DRunning").name());
    }

    @Test
    void writeVerbsFollowTheMethod() {
        assertEquals("create", RequestAttributes.of("POST", CANARIES).verb());
        assertEquals("update", RequestAttributes.of("PUT", CANARIES + "/shop").verb());
        assertEquals("patch", RequestAttributes.of("PATCH", CANARIES + "/shop").verb());
        assertEquals("delete", RequestAttributes.of("DELETE", CANARIES + "/shop").verb());
        assertEquals("deletecollection", RequestAttributes.of("DELETE", CANARIES + "?labelSelector=a%3Db").verb());
    }

    @Test
    void subresources() {
        assertEquals(resource("update", "serin.dev", "v1alpha1", "canaries", "status", "demo", "shop"),
                RequestAttributes.of("PUT", CANARIES + "/shop/status"));
        assertEquals("canaries/status", RequestAttributes.of("PUT", CANARIES + "/shop/status").combinedResource());
        assertEquals(resource("patch", "apps", "v1", "deployments", "scale", "demo", "shop"),
                RequestAttributes.of("PATCH", "/apis/apps/v1/namespaces/demo/deployments/shop/scale"));
        assertEquals("finalizers", RequestAttributes.of("PUT", CANARIES + "/shop/finalizers").subresource());
    }

    @Test
    void coreGroupAndClusterScope() {
        assertEquals(resource("create", "", "v1", "events", null, "demo", null),
                RequestAttributes.of("POST", "/api/v1/namespaces/demo/events"));
        assertEquals(resource("create", "authentication.k8s.io", "v1", "tokenreviews", null, null, null),
                RequestAttributes.of("POST", "/apis/authentication.k8s.io/v1/tokenreviews"));
        assertEquals(resource("list", "", "v1", "namespaces", null, null, null),
                RequestAttributes.of("GET", "/api/v1/namespaces"));
    }

    @Test
    void aNamespaceObjectIsInItsOwnNamespace() {
        // as in kube-apiserver: GET /api/v1/namespaces/demo is a get of namespaces "demo" in the namespace "demo"
        assertEquals(resource("get", "", "v1", "namespaces", null, "demo", "demo"),
                RequestAttributes.of("GET", "/api/v1/namespaces/demo"));
        assertEquals(resource("update", "", "v1", "namespaces", "finalize", "demo", "demo"),
                RequestAttributes.of("PUT", "/api/v1/namespaces/demo/finalize"));
    }

    @Test
    void nonResourcePaths() {
        for (String path : new String[] {"/api", "/api/v1", "/apis", "/apis/serin.dev", "/apis/serin.dev/v1alpha1",
                "/version", "/openapi/v3/apis/serin.dev/v1alpha1", "/healthz", "/"}) {
            RequestAttributes r = RequestAttributes.of("GET", path);
            assertFalse(r.isResourceRequest(), path);
            assertEquals(path, r.nonResourcePath());
            assertEquals("get", r.verb(), path);
        }
        assertEquals("/version", RequestAttributes.of("GET", "/version?timeout=32s").nonResourcePath());
        assertEquals("post", RequestAttributes.of("POST", "/logs").verb());
        assertTrue(RequestAttributes.of("GET", "/api/v1/pods").isResourceRequest());
    }

    private static RequestAttributes resource(String verb, String group, String version, String resource,
            String subresource, String namespace, String name) {
        return new RequestAttributes(verb, group, version, resource, subresource, namespace, name, null);
    }
}
