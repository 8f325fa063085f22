package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks kube-apiserver 1.32 makes on a core/v1 Service after defaulting (ValidateService, validateServicePort,
 * ValidateServiceUpdate), as far as Serin's Services reach: ports required unless headless or ExternalName; each
 * port 1..65535 with a protocol of TCP, UDP or SCTP; port names DNS-1123 labels, required when there is more than one
 * port and unique; targetPort a port number or an IANA service name; the type, sessionAffinity,
 * internalTrafficPolicy and ipFamilyPolicy enums; selector labels; and on update the allocated cluster IP kept
 * ("may not change once set"). The name's DNS-1035 format is checked with every object's metadata.
 */
public final class ServiceRules {
    private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    private static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    private static final List<String> AFFINITIES = List.of("ClientIP", "None");
    private static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
    private static final List<String> FAMILY_POLICIES = List.of("PreferDualStack", "RequireDualStack", "SingleStack");
    private static final Pattern PORT_NAME_CHARSET = Pattern.compile("^[-a-z0-9]+$");
    private static final Pattern PORT_NAME_LETTER = Pattern.compile("[a-z]");

    private ServiceRules() {
    }

    static List<FieldError> validate(JsonNode service) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode spec = service.path("spec");
        String type = spec.path("type").asText("");
        if (!TYPES.contains(type)) {
            errors.add(type.isEmpty() ? FieldError.required("spec.type", "") : FieldError.notSupported("spec.type", type, TYPES));
        }
        JsonNode ports = spec.path("ports");
        boolean headless = "None".equals(spec.path("clusterIP").asText(""));
        if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
            errors.add(FieldError.required("spec.ports", ""));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            errors.addAll(port(ports.get(i), "spec.ports[" + i + "]", ports.size() > 1, names));
        }
        enumField(spec, "sessionAffinity", AFFINITIES, errors);
        enumField(spec, "internalTrafficPolicy", TRAFFIC_POLICIES, errors);
        enumField(spec, "ipFamilyPolicy", FAMILY_POLICIES, errors);
        errors.addAll(ObjectMetaRules.labels(spec.get("selector"), "spec.selector"));
        return errors;
    }

    /** What an update may not do: change the cluster IP the server allocated (validateUpgradeDowngradeClusterIPs). */
    public static List<FieldError> validateUpdate(JsonNode service, JsonNode old) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode before = old.path("spec").path("clusterIPs");
        JsonNode after = service.path("spec").path("clusterIPs");
        for (int i = 0; i < Math.min(before.size(), after.size()); i++) {
            if (!before.get(i).equals(after.get(i))) {
                // the value is the whole list, rendered as JSON by 1.32's field errors
                errors.add(FieldError.invalid("spec.clusterIPs[" + i + "]", new GoValues.Literal(after.toString()),
                        "may not change once set"));
            }
        }
        if (!before.isEmpty() && after.isEmpty()) {
            errors.add(FieldError.required("spec.clusterIPs", "primary clusterIP can not be unset"));
        }
        return errors;
    }

    private static List<FieldError> port(JsonNode port, String path, boolean nameRequired, Set<String> names) {
        List<FieldError> errors = new ArrayList<>();
        String name = port.path("name").asText("");
        if (nameRequired && name.isEmpty()) {
            errors.add(FieldError.required(path + ".name", ""));
        } else if (!name.isEmpty()) {
            KubernetesNames.dns1123Label(name).forEach(msg -> errors.add(FieldError.invalid(path + ".name", name, msg)));
            if (!names.add(name)) {
                errors.add(FieldError.duplicate(path + ".name", name));
            }
        }
        long number = port.path("port").asLong(0);
        portNumber(number).forEach(msg -> errors.add(FieldError.invalid(path + ".port", number, msg)));
        String protocol = port.path("protocol").asText("");
        if (protocol.isEmpty()) {
            errors.add(FieldError.required(path + ".protocol", ""));
        } else if (!PROTOCOLS.contains(protocol)) {
            errors.add(FieldError.notSupported(path + ".protocol", protocol, PROTOCOLS));
        }
        JsonNode target = port.path("targetPort");
        if (target.isNumber()) {
            portNumber(target.asLong()).forEach(msg -> errors.add(FieldError.invalid(path + ".targetPort", target.asLong(), msg)));
        } else if (target.isTextual()) {
            portName(target.asText()).forEach(msg -> errors.add(FieldError.invalid(path + ".targetPort", target.asText(), msg)));
        }
        return errors;
    }

    private static List<String> portNumber(long port) {
        return port >= 1 && port <= 65535 ? List.of() : List.of("must be between 1 and 65535, inclusive");
    }

    /** apimachinery's IsValidPortName: an IANA_SVC_NAME. */
    static List<String> portName(String name) {
        List<String> errs = new ArrayList<>();
        if (name.length() > 15) {
            errs.add(KubernetesNames.maxLen(15));
        }
        if (!PORT_NAME_CHARSET.matcher(name).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!PORT_NAME_LETTER.matcher(name).find()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (name.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!name.isEmpty() && (name.startsWith("-") || name.endsWith("-"))) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    private static void enumField(JsonNode spec, String field, List<String> supported, List<FieldError> errors) {
        String value = spec.path(field).asText("");
        if (!value.isEmpty() && !supported.contains(value)) {
            errors.add(FieldError.notSupported("spec." + field, value, supported));
        }
    }
}
