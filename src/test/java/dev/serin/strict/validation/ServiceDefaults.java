package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What kube-apiserver 1.32 fills into a core/v1 Service before it validates and stores it (SetDefaults_Service,
 * SetDefaults_ServicePort, and the REST layer's cluster IP allocation on a single-stack IPv4 cluster): type
 * ClusterIP, sessionAffinity None, each port's protocol TCP and targetPort = port, internalTrafficPolicy Cluster; on
 * create a cluster IP from 10.96.0.0/12 in spec.clusterIP and spec.clusterIPs, ipFamilies [IPv4], ipFamilyPolicy
 * SingleStack; on update what the client left out of those comes from the stored Service (patchAllocatedValues), so
 * only a changed cluster IP is refused ({@link ServiceRules#validateUpdate}). One instance per server: it allocates.
 */
public final class ServiceDefaults {
    private final AtomicInteger next = new AtomicInteger(10); // 10.96.0.1 is the kubernetes Service's

    /** A defaulted copy of the Service ({@code old}: the stored one on update, null on create). */
    public JsonNode apply(JsonNode service, JsonNode old) {
        ObjectNode copy = service.deepCopy();
        ObjectNode spec = copy.with("spec");
        putIfAbsent(spec, "type", "ClusterIP");
        putIfAbsent(spec, "sessionAffinity", "None");
        String type = spec.path("type").asText();
        for (JsonNode port : spec.path("ports")) {
            if (port instanceof ObjectNode p) {
                putIfAbsent(p, "protocol", "TCP");
                JsonNode target = p.get("targetPort");
                if (target == null || target.isNull() || target.isNumber() && target.asInt() == 0
                        || target.isTextual() && target.asText().isEmpty()) {
                    p.set("targetPort", p.path("port").deepCopy());
                }
            }
        }
        if (type.equals("ExternalName")) {
            return copy;
        }
        putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
        JsonNode before = old == null ? null : old.path("spec");
        if (before != null && before.hasNonNull("clusterIP")) {
            copyIfAbsent(spec, before, "clusterIP");
            if (spec.path("clusterIP").equals(before.path("clusterIP"))) {
                copyIfAbsent(spec, before, "clusterIPs");
            }
            copyIfAbsent(spec, before, "ipFamilies");
            copyIfAbsent(spec, before, "ipFamilyPolicy");
        }
        String clusterIp = spec.path("clusterIP").asText("");
        if (clusterIp.isEmpty()) {
            int n = next.getAndIncrement();
            clusterIp = "10.96." + (n / 256) + "." + (n % 256);
            spec.put("clusterIP", clusterIp);
        }
        if (spec.path("clusterIPs").isEmpty()) {
            spec.putArray("clusterIPs").add(clusterIp);
        } else if (old != null && !spec.path("clusterIP").equals(before.path("clusterIP"))
                && spec.path("clusterIPs").equals(before.path("clusterIPs"))) {
            ((ArrayNode) spec.get("clusterIPs")).set(0, spec.get("clusterIP")); // normalizeClusterIPs: clusterIP wins
        }
        if (spec.path("ipFamilies").isEmpty()) {
            spec.putArray("ipFamilies").add("IPv4");
        }
        putIfAbsent(spec, "ipFamilyPolicy", "SingleStack");
        return copy;
    }

    private static void putIfAbsent(ObjectNode object, String field, String value) {
        if (!object.hasNonNull(field) || object.path(field).asText().isEmpty()) {
            object.put(field, value);
        }
    }

    private static void copyIfAbsent(ObjectNode spec, JsonNode before, String field) {
        JsonNode value = spec.get(field);
        boolean absent = value == null || value.isNull() || value.isTextual() && value.asText().isEmpty()
                || value.isArray() && value.isEmpty();
        if (absent && before.has(field)) {
            spec.set(field, before.get(field).deepCopy());
        }
    }
}
