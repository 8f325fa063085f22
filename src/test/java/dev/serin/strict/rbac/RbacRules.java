package dev.serin.strict.rbac;

import dev.serin.k8s.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Kubernetes RBAC over a set of ClusterRoles, Roles, ClusterRoleBindings and RoleBindings, read from manifests.
 * A ClusterRoleBinding's ClusterRole holds in every namespace and at the cluster scope; a RoleBinding's Role or
 * ClusterRole only in the binding's namespace (so never for cluster-scoped requests nor nonResourceURLs).
 * Aggregated ClusterRoles (aggregationRule) are not supported: the project's manifests use none.
 */
public final class RbacRules {
    private final List<ClusterRole> clusterRoles;
    private final List<Role> roles;
    private final List<ClusterRoleBinding> clusterRoleBindings;
    private final List<RoleBinding> roleBindings;

    private RbacRules(List<ClusterRole> clusterRoles, List<Role> roles, List<ClusterRoleBinding> clusterRoleBindings,
            List<RoleBinding> roleBindings) {
        this.clusterRoles = List.copyOf(clusterRoles);
        this.roles = List.copyOf(roles);
        this.clusterRoleBindings = List.copyOf(clusterRoleBindings);
        this.roleBindings = List.copyOf(roleBindings);
    }

    /** The RBAC objects among the files a kustomization.yaml lists under {@code resources:}; other kinds are ignored. */
    public static RbacRules fromKustomization(Path k8sDir) throws IOException {
        return of(Manifests.kustomization(k8sDir));
    }

    /** The RBAC objects in a (multi-document) YAML text. */
    public static RbacRules fromYaml(String yaml) {
        return of(Manifests.parse(yaml, "YAML"));
    }

    public static RbacRules of(Collection<? extends HasMetadata> objects) {
        List<ClusterRole> clusterRoles = new ArrayList<>();
        List<Role> roles = new ArrayList<>();
        List<ClusterRoleBinding> clusterRoleBindings = new ArrayList<>();
        List<RoleBinding> roleBindings = new ArrayList<>();
        for (HasMetadata o : objects) {
            if (o instanceof ClusterRole cr) {
                if (cr.getAggregationRule() != null) {
                    throw new IllegalArgumentException("ClusterRole " + cr.getMetadata().getName()
                            + " aggregates other roles, which this RBAC engine does not resolve");
                }
                clusterRoles.add(cr);
            } else if (o instanceof Role r) {
                roles.add(r);
            } else if (o instanceof ClusterRoleBinding b) {
                clusterRoleBindings.add(b);
            } else if (o instanceof RoleBinding b) {
                roleBindings.add(b);
            }
        }
        return new RbacRules(clusterRoles, roles, clusterRoleBindings, roleBindings);
    }

    /** These rules plus what every authenticated user has on a real cluster ({@link DefaultRoles}). */
    public RbacRules withDefaults() {
        List<ClusterRole> cr = new ArrayList<>(clusterRoles);
        cr.addAll(DefaultRoles.clusterRoles());
        List<ClusterRoleBinding> crb = new ArrayList<>(clusterRoleBindings);
        crb.addAll(DefaultRoles.bindings());
        return new RbacRules(cr, roles, crb, roleBindings);
    }

    public Decision authorize(Identity identity, RequestAttributes request) {
        return authorize(identity.user(), identity.groups(), request);
    }

    /** Allowed when any rule bound to the user or one of its groups matches the request (RBAC only ever adds). */
    public Decision authorize(String user, List<String> groups, RequestAttributes request) {
        for (ClusterRoleBinding b : clusterRoleBindings) {
            Subject subject = subjectFor(b.getSubjects(), user, groups, null);
            if (subject != null && anyAllows(clusterRoleRules(b.getRoleRef()), request)) {
                return Decision.allow(allowedBy("ClusterRoleBinding", b.getMetadata().getName(), b.getRoleRef(), subject));
            }
        }
        if (request.isResourceRequest() && request.namespace() != null) {
            for (RoleBinding b : roleBindings) {
                String ns = b.getMetadata().getNamespace();
                if (!request.namespace().equals(ns)) {
                    continue;
                }
                Subject subject = subjectFor(b.getSubjects(), user, groups, ns);
                if (subject != null && anyAllows(rules(b.getRoleRef(), ns), request)) {
                    return Decision.allow(allowedBy("RoleBinding", ns + "/" + b.getMetadata().getName(), b.getRoleRef(), subject));
                }
            }
        }
        return Decision.deny(user, request);
    }

    public Set<Permission> granted(Identity identity) {
        return granted(identity.user(), identity.groups());
    }

    /**
     * Every (API group, resource[/subresource], verb, scope) granted to the user or its groups, expanded rule by rule
     * (wildcards stay as written; resourceNames are not kept). Scope is {@link Permission#CLUSTER} through a
     * ClusterRoleBinding, or the RoleBinding's namespace.
     */
    public Set<Permission> granted(String user, List<String> groups) {
        Set<Permission> granted = new LinkedHashSet<>();
        for (ClusterRoleBinding b : clusterRoleBindings) {
            if (subjectFor(b.getSubjects(), user, groups, null) != null) {
                clusterRoleRules(b.getRoleRef()).forEach(rule -> expand(rule, Permission.CLUSTER, true, granted));
            }
        }
        for (RoleBinding b : roleBindings) {
            String ns = b.getMetadata().getNamespace();
            if (subjectFor(b.getSubjects(), user, groups, ns) != null) {
                rules(b.getRoleRef(), ns).forEach(rule -> expand(rule, ns, false, granted));
            }
        }
        return granted;
    }

    private static void expand(PolicyRule rule, String scope, boolean nonResource, Set<Permission> into) {
        for (String verb : RuleMatch.orEmpty(rule.getVerbs())) {
            for (String group : RuleMatch.orEmpty(rule.getApiGroups())) {
                for (String resource : RuleMatch.orEmpty(rule.getResources())) {
                    into.add(new Permission(group, resource, verb, scope));
                }
            }
            if (nonResource) { // nonResourceURLs only count through a ClusterRoleBinding
                for (String url : RuleMatch.orEmpty(rule.getNonResourceURLs())) {
                    into.add(new Permission("", url, verb, Permission.CLUSTER));
                }
            }
        }
    }

    private static boolean anyAllows(List<PolicyRule> rules, RequestAttributes request) {
        return rules.stream().anyMatch(rule -> RuleMatch.allows(rule, request));
    }

    private static Subject subjectFor(List<Subject> subjects, String user, List<String> groups, String bindingNamespace) {
        return RuleMatch.orEmpty(subjects).stream()
                .filter(s -> RuleMatch.appliesTo(s, user, groups, bindingNamespace))
                .findFirst().orElse(null);
    }

    /** A ClusterRoleBinding may only refer to a ClusterRole. */
    private List<PolicyRule> clusterRoleRules(RoleRef ref) {
        return "ClusterRole".equals(ref.getKind()) ? rules(ref, null) : List.of();
    }

    /** The rules a binding refers to; none when the role does not exist (as on a cluster, where that denies). */
    private List<PolicyRule> rules(RoleRef ref, String bindingNamespace) {
        if ("ClusterRole".equals(ref.getKind())) {
            return clusterRoles.stream().filter(r -> r.getMetadata().getName().equals(ref.getName()))
                    .findFirst().map(r -> RuleMatch.orEmpty(r.getRules())).orElse(List.of());
        }
        if ("Role".equals(ref.getKind()) && bindingNamespace != null) {
            return roles.stream()
                    .filter(r -> r.getMetadata().getName().equals(ref.getName())
                            && Objects.equals(r.getMetadata().getNamespace(), bindingNamespace))
                    .findFirst().map(r -> RuleMatch.orEmpty(r.getRules())).orElse(List.of());
        }
        return List.of();
    }

    /** Like the RBAC authorizer's reason: {@code RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to ...}. */
    private static String allowedBy(String bindingKind, String binding, RoleRef ref, Subject subject) {
        String who = subject.getKind().equals("ServiceAccount") && subject.getNamespace() != null
                ? subject.getNamespace() + "/" + subject.getName() : subject.getName();
        return "RBAC: allowed by " + bindingKind + " \"" + binding + "\" of " + ref.getKind() + " \"" + ref.getName()
                + "\" to " + subject.getKind() + " \"" + who + "\"";
    }
}
