package dev.serin.strict.rbac;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.List;

/**
 * Kubernetes RBAC's matching of one rule against one request, and of one binding subject against a user
 * (k8s.io/kubernetes/pkg/apis/rbac/v1/evaluation_helpers.go and plugin/pkg/auth/authorizer/rbac/rbac.go).
 */
final class RuleMatch {
    private static final String ALL = "*";

    private RuleMatch() {
    }

    static boolean allows(PolicyRule rule, RequestAttributes request) {
        if (!contains(rule.getVerbs(), request.verb())) {
            return false;
        }
        if (!request.isResourceRequest()) {
            return orEmpty(rule.getNonResourceURLs()).stream().anyMatch(url -> pathMatches(url, request.nonResourcePath()));
        }
        return contains(rule.getApiGroups(), request.apiGroup())
                && orEmpty(rule.getResources()).stream()
                        .anyMatch(r -> resourceMatches(r, request.combinedResource(), request.subresource()))
                && nameMatches(rule.getResourceNames(), request.name());
    }

    /** {@code *}, the exact {@code resource} or {@code resource/subresource}, or {@code * /subresource} for any resource's. */
    static boolean resourceMatches(String ruleResource, String combinedResource, String subresource) {
        if (ruleResource.equals(ALL) || ruleResource.equals(combinedResource)) {
            return true;
        }
        return subresource != null && ruleResource.equals(ALL + "/" + subresource);
    }

    /** Without resourceNames a rule holds for any name; with them, only for a named request (never create or list). */
    static boolean nameMatches(List<String> resourceNames, String name) {
        return resourceNames == null || resourceNames.isEmpty() || (name != null && resourceNames.contains(name));
    }

    /** A nonResourceURL is {@code *}, an exact path, or a prefix ending in {@code *}. */
    static boolean pathMatches(String ruleUrl, String path) {
        if (ruleUrl.equals(ALL) || ruleUrl.equals(path)) {
            return true;
        }
        return ruleUrl.endsWith(ALL) && path.startsWith(ruleUrl.substring(0, ruleUrl.length() - 1));
    }

    /**
     * Whether a binding's subject is this user. A ServiceAccount subject without a namespace means the binding's
     * own namespace (for a ClusterRoleBinding there is none, so it matches nobody).
     */
    static boolean appliesTo(Subject subject, String user, List<String> groups, String bindingNamespace) {
        return switch (subject.getKind()) {
            case "User" -> subject.getName().equals(user);
            case "Group" -> groups.contains(subject.getName());
            case "ServiceAccount" -> {
                String ns = subject.getNamespace() == null || subject.getNamespace().isEmpty()
                        ? bindingNamespace : subject.getNamespace();
                yield ns != null && !ns.isEmpty()
                        && user.equals("system:serviceaccount:" + ns + ":" + subject.getName());
            }
            default -> false;
        };
    }

    private static boolean contains(List<String> values, String value) {
        return values != null && (values.contains(ALL) || values.contains(value));
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
