package dev.serin.strict.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Gateway API's own HTTPRoute CRDs (standard channel v1.2.1 and v1.4.1, read from ../shared/gateway-api): the strict
 * server judges HTTPRoutes by their schema and every CEL rule, and fills in their defaults, as a cluster with that
 * Gateway API release does.
 */
class GatewayApiCrdsTest {
    static final Path SHARED = Path.of("..", "shared", "gateway-api");
    static final String GROUP = "gateway.networking.k8s.io";
    static final YAMLMapper YAML = new YAMLMapper();
    static final Map<String, CrdValidator> LOADED = new ConcurrentHashMap<>();

    static final String ROUTE = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata: {name: reviews, namespace: shop}
            spec:
              parentRefs:
              - {name: reviews, kind: Service, group: ""}
              rules:
              - matches:
                - path: {type: PathPrefix, value: /api}
                filters:
                - type: RequestHeaderModifier
                  requestHeaderModifier:
                    set: [{name: x-env, value: prod}]
                backendRefs:
                - {name: reviews-stable, port: 9080, weight: 399}
                - {name: reviews-canary, port: 9080, weight: 1}
              - backendRefs:
                - {name: ratings, port: 9080}
            """;

    static CrdValidator gatewayApi(String version) {
        Path file = SHARED.resolve("gateway-api-v" + version + "-httproutes-crd.yaml");
        assumeTrue(Files.exists(file), "../shared/gateway-api is absent: " + file.toAbsolutePath().normalize()
                + " not found, so Gateway API's CRDs cannot be checked here");
        return LOADED.computeIfAbsent(version, v -> CrdValidator.load(List.of(file)));
    }

    static ObjectNode route() throws Exception {
        return (ObjectNode) YAML.readTree(ROUTE);
    }

    static List<FieldError> validate(String version, JsonNode route) {
        CrdValidator crds = gatewayApi(version);
        return crds.validate(GROUP, "v1", "httproutes", crds.withDefaults(GROUP, "v1", "httproutes", route), null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.1", "1.4.1"})
    void servesV1AndV1beta1WithAStatusSubresourceAndATypicalRouteIsValid(String version) throws Exception {
        CrdValidator crds = gatewayApi(version);
        assertEquals(List.of("v1", "v1beta1"), crds.servedVersions(GROUP).stream().sorted().toList());
        assertEquals(new ServedResource(GROUP, "v1", "httproutes", "HTTPRoute", true, true),
                crds.resource(GROUP, "v1", "httproutes").orElseThrow());
        assertEquals(List.of(), validate(version, route()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.1", "1.4.1"})
    void fillsInTheDefaultsOfBackendRefsMatchesAndParentRefs(String version) throws Exception {
        ObjectNode route = route();
        ((ObjectNode) route.at("/spec/parentRefs/0")).remove(List.of("kind", "group"));
        ((ArrayNode) route.at("/spec/parentRefs")).addObject().put("name", "mesh-gateway");
        CrdValidator crds = gatewayApi(version);
        JsonNode defaulted = crds.withDefaults(GROUP, "v1", "httproutes", route);
        assertEquals(YAML.readTree("{name: ratings, port: 9080, weight: 1, group: '', kind: Service}"),
                defaulted.at("/spec/rules/1/backendRefs/0"));
        assertEquals(YAML.readTree("[{path: {type: PathPrefix, value: /}}]"), defaulted.at("/spec/rules/1/matches"));
        assertEquals(YAML.readTree("{type: PathPrefix, value: /api}"), defaulted.at("/spec/rules/0/matches/0/path"));
        assertEquals(YAML.readTree("{name: mesh-gateway, group: gateway.networking.k8s.io, kind: Gateway}"),
                defaulted.at("/spec/parentRefs/1"));
        ((ObjectNode) route.path("spec")).remove("rules");
        assertEquals(YAML.readTree("[{matches: [{path: {type: PathPrefix, value: /}}]}]"),
                crds.withDefaults(GROUP, "v1", "httproutes", route).at("/spec/rules"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.1", "1.4.1"})
    void refusesAWeightAboveOneMillion(String version) throws Exception {
        ObjectNode route = route();
        ((ObjectNode) route.at("/spec/rules/0/backendRefs/0")).put("weight", 1_000_001);
        List<FieldError> errors = validate(version, route);
        assertEquals(List.of(new FieldError("spec.rules[0].backendRefs[0].weight", FieldError.INVALID,
                "Invalid value: 1000001: spec.rules[0].backendRefs[0].weight in body should be less than or equal to 1000000")),
                errors);
        ((ObjectNode) route.at("/spec/rules/0/backendRefs/0")).put("weight", 1_000_000);
        assertEquals(List.of(), validate(version, route));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.1", "1.4.1"})
    void refusesSeventeenRules(String version) throws Exception {
        ObjectNode route = route();
        ArrayNode rules = (ArrayNode) route.at("/spec/rules");
        while (rules.size() < 17) {
            rules.add(rules.get(1).deepCopy());
        }
        List<FieldError> errors = validate(version, route);
        assertEquals(FieldError.TOO_MANY, errors.get(0).type(), errors.toString());
        assertEquals("spec.rules", errors.get(0).field());
        assertTrue(errors.get(0).message().contains("must have at most 16 items"), errors.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.1", "1.4.1"})
    void refusesARepeatedFilterWithTheRulesMessage(String version) throws Exception {
        ObjectNode route = route();
        ArrayNode filters = (ArrayNode) route.at("/spec/rules/0/filters");
        filters.add(filters.get(0).deepCopy());
        assertEquals(List.of(FieldError.invalid("spec.rules[0].filters", "array",
                "RequestHeaderModifier filter cannot be repeated")), validate(version, route));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.1", "1.4.1"})
    void refusesAFilterWithoutItsConfigurationAndABackendOfAnotherKindWithoutPort(String version) throws Exception {
        ObjectNode route = route();
        ((ObjectNode) route.at("/spec/rules/0/filters/0")).remove("requestHeaderModifier");
        ((ObjectNode) route.at("/spec/rules/1/backendRefs/0")).remove("port");
        List<FieldError> errors = validate(version, route);
        assertEquals(List.of(
                FieldError.invalid("spec.rules[0].filters[0]", "object",
                        "filter.requestHeaderModifier must be specified for RequestHeaderModifier filter.type"),
                FieldError.invalid("spec.rules[1].backendRefs[0]", "object",
                        "Must have port for Service reference")), errors);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.1", "1.4.1"})
    void refusesAPathThatIsNotAbsolute(String version) throws Exception {
        ObjectNode route = route();
        ((ObjectNode) route.at("/spec/rules/0/matches/0/path")).put("value", "api");
        List<FieldError> errors = validate(version, route);
        assertEquals(List.of(FieldError.invalid("spec.rules[0].matches[0].path", "object",
                "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']")), errors);
    }
}
