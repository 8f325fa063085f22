package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks kube-apiserver 1.32 makes on a discovery.k8s.io/v1 EndpointSlice (ValidateEndpointSlice) that a test's
 * EndpointSlice controller can meet: addressType required and one of FQDN, IPv4, IPv6; each endpoint with 1 to 100
 * addresses; each port's number 1..65535 and name a DNS-1123 label.
 */
final class EndpointSliceRules {
    private static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");

    private EndpointSliceRules() {
    }

    static List<FieldError> validate(JsonNode slice) {
        List<FieldError> errors = new ArrayList<>();
        String addressType = slice.path("addressType").asText("");
        if (addressType.isEmpty()) {
            errors.add(FieldError.required("addressType", ""));
        } else if (!ADDRESS_TYPES.contains(addressType)) {
            errors.add(FieldError.notSupported("addressType", addressType, ADDRESS_TYPES));
        }
        JsonNode endpoints = slice.path("endpoints");
        for (int i = 0; i < endpoints.size(); i++) {
            int addresses = endpoints.get(i).path("addresses").size();
            String path = "endpoints[" + i + "].addresses";
            if (addresses == 0) {
                errors.add(FieldError.required(path, "must contain at least 1 address"));
            } else if (addresses > 100) {
                errors.add(FieldError.tooMany(path, addresses, 100));
            }
        }
        JsonNode ports = slice.path("ports");
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String name = port.path("name").asText("");
            if (!name.isEmpty()) {
                String path = "ports[" + i + "].name";
                KubernetesNames.dns1123Label(name).forEach(msg -> errors.add(FieldError.invalid(path, name, msg)));
            }
            if (port.has("port") && (port.path("port").asLong() < 1 || port.path("port").asLong() > 65535)) {
                errors.add(FieldError.invalid("ports[" + i + "].port", port.path("port").asLong(),
                        "must be between 1 and 65535, inclusive"));
            }
        }
        return errors;
    }
}
