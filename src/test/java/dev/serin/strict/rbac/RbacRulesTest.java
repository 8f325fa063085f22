package dev.serin.strict.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Kubernetes RBAC semantics of the engine, on small hand-written manifests. */
class RbacRulesTest {
    private static final Identity ALICE = new Identity("alice", List.of("web-team", "system:authenticated"));
    private static final Identity BOB = new Identity("bob", List.of("system:authenticated"));
    private static final Identity DEPLOYER = Identity.serviceAccount("ci", "deployer");

    /** serin-canary-operator-like ClusterRole, bound per namespace by a RoleBinding, as api-rbac.yaml suggests. */
    private static final RbacRules OPERATOR = RbacRules.fromYaml("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: operator}
            rules:
              - apiGroups: [serin.dev]
                resources: [canaries]
                verbs: [get, list, patch]
              - nonResourceURLs: ["/metrics"]
                verbs: [get]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: web-operators, namespace: web}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: operator}
            subjects:
              - {kind: Group, name: web-team, apiGroup: rbac.authorization.k8s.io}
              - {kind: ServiceAccount, name: deployer}
            """);

    @Test
    void aRoleBindingToAClusterRoleHoldsOnlyInItsNamespace() {
        assertTrue(OPERATOR.authorize(ALICE, get("/apis/serin.dev/v1alpha1/namespaces/web/canaries/shop")).allowed());
        assertTrue(OPERATOR.authorize(ALICE, get("/apis/serin.dev/v1alpha1/namespaces/web/canaries")).allowed());
        assertFalse(OPERATOR.authorize(ALICE, get("/apis/serin.dev/v1alpha1/namespaces/shop/canaries/shop")).allowed());
        assertFalse(OPERATOR.authorize(ALICE, get("/apis/serin.dev/v1alpha1/canaries")).allowed(), "all namespaces");
        // nonResourceURLs of a ClusterRole count only through a ClusterRoleBinding
        assertFalse(OPERATOR.authorize(ALICE, get("/metrics")).allowed());
        assertEquals(Set.of(new Permission("serin.dev", "canaries", "get", "web"),
                new Permission("serin.dev", "canaries", "list", "web"),
                new Permission("serin.dev", "canaries", "patch", "web")), OPERATOR.granted(ALICE));
    }

    @Test
    void subjectsAreUsersGroupsAndServiceAccounts() {
        assertFalse(OPERATOR.authorize(BOB, get("/apis/serin.dev/v1alpha1/namespaces/web/canaries")).allowed());
        // a ServiceAccount subject without a namespace is the binding's namespace's
        assertFalse(OPERATOR.authorize(DEPLOYER, get("/apis/serin.dev/v1alpha1/namespaces/web/canaries")).allowed());
        Identity webDeployer = Identity.serviceAccount("web", "deployer");
        Decision d = OPERATOR.authorize(webDeployer, get("/apis/serin.dev/v1alpha1/namespaces/web/canaries"));
        assertTrue(d.allowed());
        assertEquals("RBAC: allowed by RoleBinding \"web/web-operators\" of ClusterRole \"operator\" to ServiceAccount "
                + "\"deployer\"", d.reason());

        RbacRules users = RbacRules.fromYaml(clusterRole("reader", "[\"\"]", "[pods]", "[get]", null)
                + binding("ClusterRoleBinding", "bob-reads", null, "ClusterRole", "reader", "{kind: User, name: bob}"));
        assertTrue(users.authorize(BOB, get("/api/v1/namespaces/x/pods/p")).allowed());
        assertFalse(users.authorize(BOB, get("/api/v1/nodes/n")).allowed(), "nodes are not pods");
        assertFalse(users.authorize(ALICE, get("/api/v1/namespaces/x/pods/p")).allowed());
    }

    @Test
    void aRoleBindsOnlyARoleOfItsOwnNamespace() {
        RbacRules rules = RbacRules.fromYaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: leases, namespace: a}
                rules: [{apiGroups: [coordination.k8s.io], resources: [leases], verbs: [get]}]
                ---
                """
                + binding("RoleBinding", "in-a", "a", "Role", "leases", "{kind: User, name: bob}")
                + binding("RoleBinding", "in-b", "b", "Role", "leases", "{kind: User, name: bob}"));
        assertTrue(rules.authorize(BOB, get("/apis/coordination.k8s.io/v1/namespaces/a/leases/l")).allowed());
        assertFalse(rules.authorize(BOB, get("/apis/coordination.k8s.io/v1/namespaces/b/leases/l")).allowed(),
                "RoleBinding in b names Role leases, which exists only in a");
    }

    @Test
    void resourceNamesNeverAllowUnnamedRequests() {
        RbacRules rules = RbacRules.fromYaml(clusterRole("one-lease", "[coordination.k8s.io]", "[leases]",
                "[get, list, watch, create, update, delete, deletecollection]", "[serin-leader]")
                + binding("ClusterRoleBinding", "bob", null, "ClusterRole", "one-lease", "{kind: User, name: bob}"));
        String leases = "/apis/coordination.k8s.io/v1/namespaces/serin-system/leases";
        assertTrue(rules.authorize(BOB, get(leases + "/serin-leader")).allowed());
        assertTrue(rules.authorize(BOB, RequestAttributes.of("PUT", leases + "/serin-leader")).allowed());
        assertTrue(rules.authorize(BOB, RequestAttributes.of("DELETE", leases + "/serin-leader")).allowed());
        assertFalse(rules.authorize(BOB, get(leases + "/other")).allowed());
        assertFalse(rules.authorize(BOB, RequestAttributes.of("POST", leases)).allowed(), "create has no name");
        assertFalse(rules.authorize(BOB, get(leases)).allowed(), "list");
        assertFalse(rules.authorize(BOB, get(leases + "?watch=true")).allowed(), "watch");
        assertFalse(rules.authorize(BOB, RequestAttributes.of("DELETE", leases)).allowed(), "deletecollection");
        // ... unless the list or watch selects that one name
        assertTrue(rules.authorize(BOB, get(leases + "?fieldSelector=metadata.name%3Dserin-leader&watch=true")).allowed());
    }

    @Test
    void wildcardsAndSubresources() {
        RbacRules rules = RbacRules.fromYaml(clusterRole("scaler", "[\"*\"]", "[\"*/scale\", canaries]", "[\"*\"]", null)
                + binding("ClusterRoleBinding", "bob", null, "ClusterRole", "scaler", "{kind: User, name: bob}"));
        assertTrue(rules.authorize(BOB, RequestAttributes.of("PATCH", "/apis/apps/v1/namespaces/d/deployments/x/scale")).allowed());
        assertFalse(rules.authorize(BOB, RequestAttributes.of("PATCH", "/apis/apps/v1/namespaces/d/deployments/x")).allowed());
        assertTrue(rules.authorize(BOB, RequestAttributes.of("DELETE", "/apis/serin.dev/v1alpha1/namespaces/d/canaries/x")).allowed());
        // "canaries" does not cover the status subresource
        assertFalse(rules.authorize(BOB, RequestAttributes.of("PUT", "/apis/serin.dev/v1alpha1/namespaces/d/canaries/x/status")).allowed());

        RbacRules all = RbacRules.fromYaml(clusterRole("admin", "[\"*\"]", "[\"*\"]", "[\"*\"]", null)
                + binding("ClusterRoleBinding", "bob", null, "ClusterRole", "admin", "{kind: User, name: bob}"));
        assertTrue(all.authorize(BOB, RequestAttributes.of("PUT", "/apis/serin.dev/v1alpha1/namespaces/d/canaries/x/status")).allowed());
        assertTrue(new Permission("*", "*/scale", "*", Permission.CLUSTER)
                .covers(new Permission("apps", "deployments/scale", "patch", "d")));
    }

    @Test
    void nonResourceUrlsMatchExactlyOrByTrailingStar() {
        RbacRules rules = RbacRules.fromYaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: logs}
                rules: [{nonResourceURLs: ["/logs/*", "/metrics"], verbs: [get]}]
                ---
                """ + binding("ClusterRoleBinding", "bob", null, "ClusterRole", "logs", "{kind: User, name: bob}"));
        assertTrue(rules.authorize(BOB, get("/logs/kube-apiserver.log")).allowed());
        assertTrue(rules.authorize(BOB, get("/metrics")).allowed());
        assertFalse(rules.authorize(BOB, get("/metrics/slis")).allowed());
        assertFalse(rules.authorize(BOB, get("/logs")).allowed());
        assertFalse(rules.authorize(BOB, RequestAttributes.of("POST", "/metrics")).allowed());
        assertEquals(Set.of(new Permission("", "/logs/*", "get", Permission.CLUSTER),
                new Permission("", "/metrics", "get", Permission.CLUSTER)), rules.granted(BOB));
    }

    @Test
    void defaultsLetEveryAuthenticatedUserDiscoverAndAskAboutItself() {
        RbacRules none = RbacRules.fromYaml("");
        RbacRules defaults = none.withDefaults();
        for (String path : List.of("/api", "/api/v1", "/apis", "/apis/serin.dev/v1alpha1", "/version", "/healthz",
                "/livez", "/readyz", "/openapi/v2", "/openapi/v3/apis/apps/v1")) {
            assertFalse(none.authorize(BOB, get(path)).allowed(), path);
            assertTrue(defaults.authorize(BOB, get(path)).allowed(), path);
        }
        assertTrue(defaults.authorize(BOB, RequestAttributes.of("POST",
                "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")).allowed());
        assertTrue(defaults.authorize(BOB, RequestAttributes.of("POST",
                "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")).allowed());
        assertTrue(defaults.authorize(BOB, RequestAttributes.of("POST",
                "/apis/authentication.k8s.io/v1/selfsubjectreviews")).allowed());
        assertFalse(defaults.authorize(BOB, RequestAttributes.of("POST",
                "/apis/authorization.k8s.io/v1/subjectaccessreviews")).allowed());
        assertFalse(defaults.authorize(BOB, get("/metrics")).allowed());
        assertFalse(defaults.authorize(new Identity("anonymous", List.of("system:unauthenticated")), get("/apis")).allowed());
        assertTrue(defaults.authorize(new Identity("anonymous", List.of("system:unauthenticated")), get("/version")).allowed());
    }

    @Test
    void denialMessagesAreTheApiServers() {
        RbacRules none = RbacRules.fromYaml("");
        String user = "system:serviceaccount:serin-system:serin";
        Identity serin = Identity.SERIN;
        assertEquals("leases.coordination.k8s.io \"serin-leader\" is forbidden: User \"" + user + "\" cannot patch "
                        + "resource \"leases\" in API group \"coordination.k8s.io\" in the namespace \"serin-system\"",
                none.authorize(serin, RequestAttributes.of("PATCH",
                        "/apis/coordination.k8s.io/v1/namespaces/serin-system/leases/serin-leader")).reason());
        assertEquals("canaries.serin.dev \"shop\" is forbidden: User \"" + user + "\" cannot update resource "
                        + "\"canaries/status\" in API group \"serin.dev\" in the namespace \"demo\"",
                none.authorize(serin, RequestAttributes.of("PUT",
                        "/apis/serin.dev/v1alpha1/namespaces/demo/canaries/shop/status")).reason());
        assertEquals("canaries.serin.dev is forbidden: User \"" + user + "\" cannot list resource \"canaries\" in "
                        + "API group \"serin.dev\" at the cluster scope",
                none.authorize(serin, get("/apis/serin.dev/v1alpha1/canaries?resourceVersion=0")).reason());
        assertEquals("events is forbidden: User \"" + user + "\" cannot create resource \"events\" in API group \"\" "
                        + "in the namespace \"demo\"",
                none.authorize(serin, RequestAttributes.of("POST", "/api/v1/namespaces/demo/events")).reason());
        assertEquals("namespaces \"demo\" is forbidden: User \"" + user + "\" cannot get resource \"namespaces\" in "
                        + "API group \"\" in the namespace \"demo\"",
                none.authorize(serin, get("/api/v1/namespaces/demo")).reason());
        assertEquals("forbidden: User \"" + user + "\" cannot get path \"/apis\"",
                none.authorize(serin, get("/apis")).reason());
    }

    @Test
    void aggregatedClusterRolesAreRefusedRatherThanMisread() {
        assertThrows(IllegalArgumentException.class, () -> RbacRules.fromYaml("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata: {name: agg}
                aggregationRule: {clusterRoleSelectors: [{matchLabels: {a: b}}]}
                """));
    }

    private static RequestAttributes get(String path) {
        return RequestAttributes.of("GET", path);
    }

    static String clusterRole(String name, String groups, String resources, String verbs, String resourceNames) {
        return "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: " + name + "}\n"
                + "rules:\n  - apiGroups: " + groups + "\n    resources: " + resources + "\n    verbs: " + verbs + "\n"
                + (resourceNames == null ? "" : "    resourceNames: " + resourceNames + "\n") + "---\n";
    }

    static String binding(String kind, String name, String namespace, String roleKind, String role, String subject) {
        return "apiVersion: rbac.authorization.k8s.io/v1\nkind: " + kind + "\nmetadata: {name: " + name
                + (namespace == null ? "" : ", namespace: " + namespace) + "}\n"
                + "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: " + roleKind + ", name: " + role + "}\n"
                + "subjects: [" + subject + "]\n---\n";
    }
}
