package dev.serin.strict.rbac;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an API request asks for, derived from its method and path the way kube-apiserver's RequestInfoFactory does
 * (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go): a resource request has a verb, an API group and version,
 * a resource (and subresource), a namespace and a name; anything else is a non-resource request on a path.
 *
 * @param verb            get, list, watch, create, update, patch, delete, deletecollection (resource requests);
 *                        the lower-case HTTP method for non-resource requests, as Kubernetes does
 * @param apiGroup        "" for the core group (/api/v1); null for non-resource requests
 * @param namespace       null when cluster-scoped or across all namespaces
 * @param name            null on a collection (unless a list/watch selects one name with a metadata.name field selector)
 * @param nonResourcePath the path of a non-resource request (/version, /apis, ...), null for resource requests
 */
public record RequestAttributes(String verb, String apiGroup, String apiVersion, String resource, String subresource,
        String namespace, String name, String nonResourcePath) {

    private static final Set<String> SPECIAL_VERBS = Set.of("proxy", "watch");
    /** Subresources of a Namespace object, which must not be read as the resource of a namespaced path. */
    private static final Set<String> NAMESPACE_SUBRESOURCES = Set.of("status", "finalize");

    public boolean isResourceRequest() {
        return nonResourcePath == null;
    }

    /** {@code resource} or {@code resource/subresource}, as RBAC rules name it. */
    public String combinedResource() {
        return subresource == null ? resource : resource + "/" + subresource;
    }

    public static RequestAttributes of(String method, String pathWithQuery) {
        int q = pathWithQuery.indexOf('?');
        String path = q < 0 ? pathWithQuery : pathWithQuery.substring(0, q);
        Map<String, String> query = query(q < 0 ? "" : pathWithQuery.substring(q + 1));
        String httpMethod = method.toUpperCase(Locale.ROOT);

        List<String> parts = new ArrayList<>(Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList());
        // /api/v1 and /apis/<group>/<version> themselves, and anything outside /api and /apis, are discovery or
        // other non-resource paths
        if (parts.size() < 3 || !(parts.get(0).equals("api") || parts.get(0).equals("apis"))) {
            return nonResource(httpMethod, path);
        }
        String group = "";
        if (parts.get(0).equals("apis")) {
            if (parts.size() < 4) {
                return nonResource(httpMethod, path);
            }
            group = parts.get(1);
            parts = parts.subList(2, parts.size());
        } else {
            parts = parts.subList(1, parts.size());
        }
        String version = parts.get(0);
        parts = parts.subList(1, parts.size());

        String verb;
        if (SPECIAL_VERBS.contains(parts.get(0))) {
            if (parts.size() < 2) {
                throw new IllegalArgumentException("no resource after /" + parts.get(0) + "/ in " + pathWithQuery);
            }
            verb = parts.get(0);
            parts = parts.subList(1, parts.size());
        } else {
            verb = switch (httpMethod) {
                case "POST" -> "create";
                case "GET", "HEAD" -> "get";
                case "PUT" -> "update";
                case "PATCH" -> "patch";
                case "DELETE" -> "delete";
                default -> "";
            };
        }

        String namespace = null;
        if (parts.get(0).equals("namespaces") && parts.size() > 1) {
            namespace = parts.get(1);
            // /namespaces/<ns>/<resource>/...; but /namespaces/<ns> and /namespaces/<ns>/status are the Namespace itself
            if (parts.size() > 2 && !NAMESPACE_SUBRESOURCES.contains(parts.get(2))) {
                parts = parts.subList(2, parts.size());
            }
        }
        String resource = parts.get(0);
        String name = parts.size() >= 2 ? parts.get(1) : null;
        String subresource = parts.size() >= 3 && !verb.equals("proxy") ? parts.get(2) : null;

        if (name == null && verb.equals("get")) {
            verb = isTrue(query.get("watch")) ? "watch" : "list";
        }
        if (name == null && (verb.equals("list") || verb.equals("watch"))) {
            name = nameFromFieldSelector(query.get("fieldSelector")); // how RBAC resourceNames can allow one list/watch
        }
        if (name == null && verb.equals("delete")) {
            verb = "deletecollection";
        }
        return new RequestAttributes(verb, group, version, resource, subresource, namespace, name, null);
    }

    private static RequestAttributes nonResource(String httpMethod, String path) {
        return new RequestAttributes(httpMethod.toLowerCase(Locale.ROOT), null, null, null, null, null, null,
                path.isEmpty() ? "/" : path);
    }

    /** Go's strconv.ParseBool, which the API server uses for the watch parameter. */
    private static boolean isTrue(String value) {
        return value != null && Set.of("1", "t", "T", "true", "TRUE", "True").contains(value);
    }

    /** The name a field selector pins with {@code metadata.name=<n>} or {@code ==}, if it does. */
    private static String nameFromFieldSelector(String selector) {
        if (selector == null) {
            return null;
        }
        for (String term : selector.split(",")) {
            String t = term.trim();
            int eq = t.indexOf('=');
            if (eq < 0 || (eq > 0 && t.charAt(eq - 1) == '!')) {
                continue;
            }
            String field = t.substring(0, eq).trim();
            String value = t.substring(t.startsWith("==", eq) ? eq + 2 : eq + 1).trim();
            if (field.equals("metadata.name") && !value.isEmpty() && !value.contains("/") && !value.contains("%")
                    && !value.equals(".")
                    && !value.equals("..")) {
                return value;
            }
        }
        return null;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            params.putIfAbsent(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
