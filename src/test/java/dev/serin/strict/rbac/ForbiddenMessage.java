package dev.serin.strict.rbac;

/**
 * The message of kube-apiserver's 403 Status: apierrors.NewForbidden around responsewriters' forbiddenMessage
 * (k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/errors.go), with RBAC giving no extra reason.
 */
final class ForbiddenMessage {
    private ForbiddenMessage() {
    }

    static String of(String user, RequestAttributes request) {
        String detail = sanitized(detail(user, request));
        if (!request.isResourceRequest()) {
            return "forbidden: " + detail;
        }
        // schema.GroupResource's String(): resource, or resource.group
        String qualified = request.apiGroup().isEmpty() ? request.resource() : request.resource() + "." + request.apiGroup();
        if (request.name() == null) {
            return qualified + " is forbidden: " + detail;
        }
        return qualified + " " + quoted(request.name()) + " is forbidden: " + detail;
    }

    private static String detail(String user, RequestAttributes request) {
        if (!request.isResourceRequest()) {
            return "User " + quoted(user) + " cannot " + request.verb() + " path " + quoted(request.nonResourcePath());
        }
        String start = "User " + quoted(user) + " cannot " + request.verb() + " resource " + quoted(request.combinedResource())
                + " in API group " + quoted(request.apiGroup());
        return request.namespace() == null
                ? start + " at the cluster scope"
                : start + " in the namespace " + quoted(request.namespace());
    }

    /** The API server avoids messages that look like HTML. */
    private static String sanitized(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Go's %q for the plain names Kubernetes allows: double quotes, with backslash and quote escaped. */
    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
