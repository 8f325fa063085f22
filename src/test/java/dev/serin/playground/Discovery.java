package dev.serin.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The discovery documents kubectl reads before anything else ({@code /api}, {@code /apis}, {@code /api/v1},
 * {@code /apis/<group>/<version>}), which fabric8's mock server does not serve. Built-in kinds the playground
 * needs are listed here; custom resources come from the CustomResourceDefinitions the server holds, so a CRD
 * applied with kubectl becomes usable like on a real cluster.
 */
public final class Discovery {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");
    private static final List<String> SUB_VERBS = List.of("get", "patch", "update");

    /** One resource (or subresource, when {@code name} has a slash) of a group version. */
    public record Resource(String name, String singular, String kind, boolean namespaced, List<String> shortNames,
            List<String> verbs, String group, String version, List<String> categories) {
        public Resource(String name, String singular, String kind, boolean namespaced, String... shortNames) {
            this(name, singular, kind, namespaced, List.of(shortNames), VERBS, null, null, List.of());
        }

        public static Resource sub(String name, String kind) {
            return new Resource(name, "", kind, true, List.of(), SUB_VERBS, null, null, List.of());
        }

        public static Resource sub(String name, String kind, String group, String version) {
            return new Resource(name, "", kind, true, List.of(), SUB_VERBS, group, version, List.of());
        }

        Resource withCategories(String... categories) {
            return new Resource(name, singular, kind, namespaced, shortNames, verbs, group, version, List.of(categories));
        }
    }

    private static final String ISTIO_GROUP = "networking.istio.io";
    private static final Map<String, List<Resource>> BUILT_IN = new LinkedHashMap<>();

    static {
        BUILT_IN.put("v1", List.of(
                new Resource("namespaces", "namespace", "Namespace", false, "ns"),
                new Resource("services", "service", "Service", true, "svc").withCategories("all"),
                Resource.sub("services/status", "Service"),
                new Resource("pods", "pod", "Pod", true, "po").withCategories("all"),
                Resource.sub("pods/status", "Pod"),
                new Resource("events", "event", "Event", true, "ev"),
                new Resource("configmaps", "configmap", "ConfigMap", true, "cm"),
                new Resource("secrets", "secret", "Secret", true),
                new Resource("serviceaccounts", "serviceaccount", "ServiceAccount", true, "sa")));
        BUILT_IN.put("apps/v1", List.of(
                new Resource("deployments", "deployment", "Deployment", true, "deploy").withCategories("all"),
                Resource.sub("deployments/status", "Deployment"),
                Resource.sub("deployments/scale", "Scale", "autoscaling", "v1"),
                new Resource("replicasets", "replicaset", "ReplicaSet", true, "rs").withCategories("all")));
        BUILT_IN.put("coordination.k8s.io/v1", List.of(new Resource("leases", "lease", "Lease", true)));
        BUILT_IN.put("authentication.k8s.io/v1", List.of(new Resource("tokenreviews", "tokenreview", "TokenReview", false)));
        BUILT_IN.put("authorization.k8s.io/v1", List.of(
                new Resource("subjectaccessreviews", "subjectaccessreview", "SubjectAccessReview", false),
                new Resource("selfsubjectaccessreviews", "selfsubjectaccessreview", "SelfSubjectAccessReview", false)));
        BUILT_IN.put("networking.istio.io/v1", List.of(
                new Resource("virtualservices", "virtualservice", "VirtualService", true, "vs")
                        .withCategories("istio-io", "networking-istio-io"),
                Resource.sub("virtualservices/status", "VirtualService"),
                new Resource("destinationrules", "destinationrule", "DestinationRule", true, "dr")
                        .withCategories("istio-io", "networking-istio-io"),
                Resource.sub("destinationrules/status", "DestinationRule")));
        BUILT_IN.put("apiextensions.k8s.io/v1", List.of(
                new Resource("customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false,
                        "crd", "crds"),
                Resource.sub("customresourcedefinitions/status", "CustomResourceDefinition")));
    }

    /**
     * What only the playground serves besides: EndpointSlices (its {@link EndpointSlices} plays their controller) and
     * Gateway API's HTTPRoute, schema-less as Istio's kinds, so Serin's Gateway API router is served there too.
     */
    private static final Map<String, List<Resource>> PLAYGROUND = new LinkedHashMap<>();

    static {
        PLAYGROUND.put("discovery.k8s.io/v1", List.of(
                new Resource("endpointslices", "endpointslice", "EndpointSlice", true)));
        PLAYGROUND.put("gateway.networking.k8s.io/v1", List.of(
                new Resource("httproutes", "httproute", "HTTPRoute", true).withCategories("gateway-api"),
                Resource.sub("httproutes/status", "HTTPRoute")));
    }

    private Discovery() {
    }

    /**
     * The playground's group versions: the built-in ones, EndpointSlices and Gateway API's HTTPRoute, then those the
     * given CRDs serve.
     */
    public static Map<String, List<Resource>> groupVersions(List<JsonNode> crds) {
        return groupVersions(crds, true, true);
    }

    /**
     * Every group version: the built-in ones, then those the given CRDs serve. Without {@code istioBuiltIn}, Istio's
     * group is served only as far as the given CRDs say (the strict server installs Istio's own CRDs).
     */
    public static Map<String, List<Resource>> groupVersions(List<JsonNode> crds, boolean istioBuiltIn) {
        return groupVersions(crds, istioBuiltIn, false);
    }

    private static Map<String, List<Resource>> groupVersions(List<JsonNode> crds, boolean istioBuiltIn,
            boolean playground) {
        Map<String, List<Resource>> all = new LinkedHashMap<>();
        BUILT_IN.forEach((gv, list) -> {
            if (istioBuiltIn || !gv.startsWith(ISTIO_GROUP + "/")) {
                all.put(gv, new ArrayList<>(list));
            }
        });
        if (playground) {
            PLAYGROUND.forEach((gv, list) -> all.put(gv, new ArrayList<>(list)));
        }
        for (JsonNode crd : crds) {
            JsonNode spec = crd.path("spec");
            String group = spec.path("group").asText();
            JsonNode names = spec.path("names");
            String plural = names.path("plural").asText();
            boolean namespaced = !"Cluster".equals(spec.path("scope").asText("Namespaced"));
            List<String> shortNames = strings(names.path("shortNames"));
            for (JsonNode v : spec.path("versions")) {
                if (!v.path("served").asBoolean(true)) {
                    continue;
                }
                List<Resource> list = all.computeIfAbsent(group + "/" + v.path("name").asText(), k -> new ArrayList<>());
                list.removeIf(r -> r.name().equals(plural) || r.name().startsWith(plural + "/"));
                String kind = names.path("kind").asText();
                list.add(new Resource(plural, names.path("singular").asText(kind.toLowerCase()), kind, namespaced,
                        shortNames, VERBS, null, null, strings(names.path("categories"))));
                if (v.path("subresources").has("status")) {
                    list.add(new Resource(plural + "/status", "", kind, namespaced, List.of(), SUB_VERBS, null, null,
                            List.of()));
                }
            }
        }
        return all;
    }

    public static ObjectNode apiVersions(String serverAddress) {
        ObjectNode root = JSON.createObjectNode().put("kind", "APIVersions");
        root.putArray("versions").add("v1");
        root.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
                .put("serverAddress", serverAddress);
        return root;
    }

    public static ObjectNode groupList(Map<String, List<Resource>> groupVersions) {
        ObjectNode root = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = root.putArray("groups");
        Map<String, ObjectNode> byName = new LinkedHashMap<>();
        for (String gv : groupVersions.keySet()) {
            int slash = gv.indexOf('/');
            if (slash < 0) {
                continue; // the core group is under /api
            }
            String group = gv.substring(0, slash);
            ObjectNode g = byName.computeIfAbsent(group, name -> {
                ObjectNode created = groups.addObject().put("name", name);
                created.putArray("versions");
                created.putObject("preferredVersion").put("groupVersion", gv).put("version", gv.substring(slash + 1));
                return created;
            });
            ((ArrayNode) g.get("versions")).addObject().put("groupVersion", gv).put("version", gv.substring(slash + 1));
        }
        return root;
    }

    public static Optional<ObjectNode> resourceList(Map<String, List<Resource>> groupVersions, String groupVersion) {
        List<Resource> resources = groupVersions.get(groupVersion);
        if (resources == null) {
            return Optional.empty();
        }
        ObjectNode root = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", groupVersion);
        ArrayNode list = root.putArray("resources");
        for (Resource r : resources) {
            ObjectNode n = list.addObject().put("name", r.name()).put("singularName", r.singular())
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            if (r.group() != null) {
                n.put("group", r.group()).put("version", r.version());
            }
            ArrayNode verbs = n.putArray("verbs");
            r.verbs().forEach(verbs::add);
            if (!r.shortNames().isEmpty()) {
                ArrayNode s = n.putArray("shortNames");
                r.shortNames().forEach(s::add);
            }
            if (!r.categories().isEmpty()) {
                ArrayNode c = n.putArray("categories");
                r.categories().forEach(c::add);
            }
        }
        return Optional.of(root);
    }

    public static ObjectNode version() {
        return JSON.createObjectNode().put("major", "1").put("minor", "32")
                .put("gitVersion", "v1.32.0-serin-playground").put("gitCommit", "0000000")
                .put("gitTreeState", "clean").put("buildDate", "2025-01-01T00:00:00Z")
                .put("goVersion", "java").put("compiler", "fabric8-mock").put("platform", "jvm");
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(s -> result.add(s.asText()));
        return result;
    }
}
