package dev.serin.strict.rbac;

/**
 * One thing an identity may do, or did: a verb on an API group's resource (or {@code resource/subresource}) in a
 * scope, which is a namespace or {@link #CLUSTER}. A non-resource permission has the API group "" and the path as
 * its resource ({@code get /version}).
 *
 * <p>As a grant, scope {@link #CLUSTER} (a ClusterRoleBinding) holds in every namespace and at the cluster scope.
 * As a use, it is a request at the cluster scope: a cluster-scoped resource, or a list/watch across all namespaces.
 */
public record Permission(String apiGroup, String resource, String verb, String scope) {
    public static final String CLUSTER = "cluster";

    /** What a request used, scoped to its namespace or the cluster. */
    public static Permission of(RequestAttributes request) {
        if (!request.isResourceRequest()) {
            return new Permission("", request.nonResourcePath(), request.verb(), CLUSTER);
        }
        return new Permission(request.apiGroup(), request.combinedResource(), request.verb(),
                request.namespace() == null ? CLUSTER : request.namespace());
    }

    public boolean isNonResource() {
        return resource.startsWith("/");
    }

    /** Whether this grant allows what {@code used} did, with RBAC's wildcards ({@code *}, {@code * /sub}, {@code /path*}). */
    public boolean covers(Permission used) {
        if (isNonResource() != used.isNonResource()) {
            return false;
        }
        boolean verbs = verb.equals("*") || verb.equals(used.verb);
        if (isNonResource()) {
            return verbs && RuleMatch.pathMatches(resource, used.resource);
        }
        boolean groups = apiGroup.equals("*") || apiGroup.equals(used.apiGroup);
        int slash = used.resource.indexOf('/');
        String usedSubresource = slash < 0 ? null : used.resource.substring(slash + 1);
        boolean resources = RuleMatch.resourceMatches(resource, used.resource, usedSubresource);
        boolean scopes = scope.equals(CLUSTER) || scope.equals(used.scope);
        return verbs && groups && resources && scopes;
    }

    @Override
    public String toString() {
        if (isNonResource()) {
            return verb + " " + resource;
        }
        String what = apiGroup.isEmpty() ? resource : apiGroup + "/" + resource;
        return verb + " " + what + (scope.equals(CLUSTER) ? " cluster-wide" : " in " + scope);
    }
}
