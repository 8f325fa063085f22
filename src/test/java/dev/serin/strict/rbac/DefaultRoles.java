package dev.serin.strict.rbac;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.List;

/**
 * What every authenticated user may do on a real cluster, from kube-apiserver's bootstrap RBAC policy
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go), so that the strict server refuses only what
 * k8s/ really fails to grant.
 */
final class DefaultRoles {
    static final String AUTHENTICATED = "system:authenticated";
    static final String UNAUTHENTICATED = "system:unauthenticated";

    private DefaultRoles() {
    }

    static List<ClusterRole> clusterRoles() {
        return List.of(
                // system:discovery: enough to find the server ready and its API groups and versions (fabric8 and
                // kubectl read /api, /apis, /apis/<group>/<version> to learn resources, /version to learn the server)
                role("system:discovery", urls("/livez", "/readyz", "/healthz", "/version", "/version/",
                        "/openapi", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*")),
                // system:basic-user: a user may ask what it may do itself (kubectl auth can-i) and who it is
                // (kubectl auth whoami)
                role("system:basic-user",
                        resources("authorization.k8s.io", "selfsubjectaccessreviews", "selfsubjectrulesreviews"),
                        resources("authentication.k8s.io", "selfsubjectreviews")),
                // system:public-info-viewer: health and version, also for unauthenticated callers
                role("system:public-info-viewer", urls("/livez", "/readyz", "/healthz", "/version", "/version/")));
    }

    /** The bootstrap ClusterRoleBindings of the roles above, of the same names, to the groups they have on a cluster. */
    static List<ClusterRoleBinding> bindings() {
        return List.of(
                binding("system:discovery", AUTHENTICATED),
                binding("system:basic-user", AUTHENTICATED),
                binding("system:public-info-viewer", AUTHENTICATED, UNAUTHENTICATED));
    }

    private static ClusterRole role(String name, PolicyRule... rules) {
        return new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata().withRules(rules).build();
    }

    private static PolicyRule urls(String... urls) {
        return new PolicyRuleBuilder().withVerbs("get").withNonResourceURLs(urls).build();
    }

    private static PolicyRule resources(String group, String... resources) {
        return new PolicyRuleBuilder().withVerbs("create").withApiGroups(group).withResources(resources).build();
    }

    private static ClusterRoleBinding binding(String role, String... groups) {
        ClusterRoleBindingBuilder b = new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(role).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", role);
        for (String group : groups) {
            b.addToSubjects(new SubjectBuilder().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName(group).build());
        }
        return b.build();
    }
}
