package dev.serin.strict.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Istio's own VirtualService and DestinationRule CRDs, read from ../shared/istio (test data outside the repository). */
class IstioCrdsTest {
    static final Path SHARED = Path.of("..", "shared", "istio");
    static final String GROUP = "networking.istio.io";
    static final YAMLMapper YAML = new YAMLMapper();

    static final String VIRTUAL_SERVICE = """
            apiVersion: networking.istio.io/%s
            kind: VirtualService
            metadata: {name: reviews, namespace: shop}
            spec:
              hosts: [reviews]
              http:
              - name: primary
                route:
                - destination: {host: reviews, subset: stable, port: {number: 9080}}
                  weight: 90
                - destination: {host: reviews, subset: canary, port: {number: 9080}}
                  weight: 10
                retries: {attempts: 3, perTryTimeout: 2s}
                timeout: 10s
            """;

    static final String DESTINATION_RULE = """
            apiVersion: networking.istio.io/%s
            kind: DestinationRule
            metadata: {name: reviews, namespace: shop}
            spec:
              host: reviews
              trafficPolicy:
                loadBalancer: {simple: ROUND_ROBIN}
                connectionPool: {tcp: {maxConnections: 100}}
              subsets:
              - name: stable
                labels: {version: v1}
              - name: canary
                labels: {version: v2}
            """;

    static final Map<String, CrdValidator> LOADED = new ConcurrentHashMap<>();

    static CrdValidator istio(String version) {
        Path file = SHARED.resolve("istio-" + version + "-networking-crds.yaml");
        assumeTrue(Files.exists(file), "../shared/istio is absent: " + file.toAbsolutePath().normalize()
                + " not found, so Istio's CRDs cannot be checked here");
        return LOADED.computeIfAbsent(version, v -> CrdValidator.load(List.of(file))); // compiling takes seconds
    }

    @Test
    void istio1296ServesV1V1beta1AndV1alpha3() {
        CrdValidator istio = istio("1.29.6");
        assertEquals(List.of("v1", "v1alpha3", "v1beta1"), istio.servedVersions(GROUP).stream().sorted().toList());
        assertEquals(new ServedResource(GROUP, "v1", "virtualservices", "VirtualService", true, true),
                istio.resource(GROUP, "v1", "virtualservices").orElseThrow());
        assertTrue(istio.resource(GROUP, "v1", "destinationrules").isPresent());
    }

    @Test
    void istio1216ServesOnlyV1beta1AndV1alpha3() {
        CrdValidator istio = istio("1.21.6");
        assertEquals(List.of("v1alpha3", "v1beta1"), istio.servedVersions(GROUP).stream().sorted().toList());
        assertTrue(istio.resource(GROUP, "v1", "virtualservices").isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.29.6/v1", "1.29.6/v1beta1", "1.29.6/v1alpha3", "1.21.6/v1beta1", "1.21.6/v1alpha3"})
    void aTypicalVirtualServiceAndDestinationRuleAreValid(String istioAndVersion) throws Exception {
        String[] parts = istioAndVersion.split("/");
        CrdValidator istio = istio(parts[0]);
        assertEquals(List.of(), istio.validate(GROUP, parts[1], "virtualservices",
                YAML.readTree(VIRTUAL_SERVICE.formatted(parts[1])), null));
        assertEquals(List.of(), istio.validate(GROUP, parts[1], "destinationrules",
                YAML.readTree(DESTINATION_RULE.formatted(parts[1])), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0s", "abc"})
    void istio1296RefusesATimeoutBelowOneMillisecond(String timeout) throws Exception {
        JsonNode vs = YAML.readTree(VIRTUAL_SERVICE.formatted("v1"));
        ((ObjectNode) vs.at("/spec/http/0")).put("timeout", timeout);
        List<FieldError> errors = istio("1.29.6").validate(GROUP, "v1", "virtualservices", vs, null);
        System.out.println("IstioCrdsTest: timeout " + timeout + " -> " + errors);
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("spec.http[0].timeout", errors.get(0).field());
        assertEquals(FieldError.INVALID, errors.get(0).type());
        assertTrue(errors.get(0).message().contains("must be a valid duration greater than 1ms"), errors.toString());
    }

    @Test
    void aFractionalWeightIsRefusedByTheSchema() throws Exception {
        JsonNode vs = YAML.readTree(VIRTUAL_SERVICE.formatted("v1"));
        ((ObjectNode) vs.at("/spec/http/0/route/1")).put("weight", 12.5);
        List<FieldError> errors = istio("1.29.6").validate(GROUP, "v1", "virtualservices", vs, null);
        assertEquals(new FieldError("spec.http[0].route[1].weight", FieldError.TYPE_INVALID,
                "Invalid value: \"number\": spec.http[0].route[1].weight in body must be of type integer: \"number\""),
                errors.get(0));
        vs = YAML.readTree(VIRTUAL_SERVICE.formatted("v1beta1"));
        ((ObjectNode) vs.at("/spec/http/0/route/1")).put("weight", 12.5);
        assertEquals(FieldError.TYPE_INVALID,
                istio("1.21.6").validate(GROUP, "v1beta1", "virtualservices", vs, null).get(0).type());
    }
}
