package dev.serin.strict.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectMetaRulesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String LABEL_VALUE_REGEX_ERROR = "a valid label must be an empty string or consist of alphanumeric"
            + " characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or"
            + " 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    @Test
    void mostNamesAreDnsSubdomains() {
        assertEquals(List.of(), ObjectMetaRules.name("Canary", "web.v2-canary"));
        assertEquals(List.of(), ObjectMetaRules.name("Deployment", "a".repeat(253)));
        assertEquals(List.of(FieldError.invalid("metadata.name", "a".repeat(254), "must be no more than 253 characters")),
                ObjectMetaRules.name("Deployment", "a".repeat(254)));
        assertEquals(List.of(new FieldError("metadata.name", FieldError.INVALID, "Invalid value: \"Web\": a lowercase RFC"
                + " 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end"
                + " with an alphanumeric character (e.g. 'example.com', regex used for validation is"
                + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")),
                ObjectMetaRules.name("ConfigMap", "Web"));
        assertEquals(List.of(FieldError.required("metadata.name", "name or generateName is required")),
                ObjectMetaRules.name("Canary", ""));
    }

    @Test
    void namespacesAreDnsLabelsAndServicesDns1035Labels() {
        assertEquals(List.of(), ObjectMetaRules.name("Namespace", "a".repeat(63)));
        assertEquals("Invalid value: \"" + "a".repeat(64) + "\": must be no more than 63 characters",
                ObjectMetaRules.name("Namespace", "a".repeat(64)).get(0).message());
        assertEquals(1, ObjectMetaRules.name("Namespace", "team.one").size());
        assertEquals(List.of(), ObjectMetaRules.name("Service", "reviews-canary"));
        assertTrue(ObjectMetaRules.name("Service", "1reviews").get(0).message().contains("a DNS-1035 label must consist"
                + " of lower case alphanumeric characters or '-', start with an alphabetic character"));
        assertEquals(List.of(), ObjectMetaRules.name("Deployment", "1reviews"));
    }

    @Test
    void labelValuesMayHave63CharactersOfTheRightKind() throws Exception {
        assertEquals(List.of(), ObjectMetaRules.labels(json("{\"version\": \"" + "v".repeat(63) + "\", \"empty\": \"\"}"),
                "metadata.labels"));
        String long64 = "v".repeat(64);
        assertEquals(List.of(FieldError.invalid("metadata.labels", long64, "must be no more than 63 characters")),
                ObjectMetaRules.labels(json("{\"version\": \"" + long64 + "\"}"), "metadata.labels"));
        assertEquals(List.of(new FieldError("metadata.labels", FieldError.INVALID,
                "Invalid value: \"-bad\": " + LABEL_VALUE_REGEX_ERROR)),
                ObjectMetaRules.labels(json("{\"version\": \"-bad\"}"), "metadata.labels"));
        assertEquals(1, ObjectMetaRules.labels(json("{\"version\": \"a b\"}"), "metadata.labels").size());
    }

    @Test
    void labelKeysAreQualifiedNames() throws Exception {
        assertEquals(List.of(), ObjectMetaRules.labels(json("{\"serin.dev/canary\": \"web\", \"app\": \"web\"}"), "f"));
        assertEquals(List.of(FieldError.invalid("f", "k".repeat(64), "name part must be no more than 63 characters")),
                ObjectMetaRules.labels(json("{\"" + "k".repeat(64) + "\": \"v\"}"), "f"));
        assertEquals("Invalid value: \"Serin.dev/x\": prefix part a lowercase RFC 1123 subdomain must consist of lower"
                + " case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g."
                + " 'example.com', regex used for validation is"
                + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                ObjectMetaRules.labels(json("{\"Serin.dev/x\": \"v\"}"), "f").get(0).message());
        assertEquals(List.of(FieldError.invalid("f", "/x", "prefix part must be non-empty")),
                ObjectMetaRules.labels(json("{\"/x\": \"v\"}"), "f"));
        assertEquals(1, ObjectMetaRules.labels(json("{\"a/b/c\": \"v\"}"), "f").size());
        assertEquals(1, ObjectMetaRules.annotations(json("{\"bad key\": \"v\"}"), "metadata.annotations").size());
        assertEquals(List.of(), ObjectMetaRules.annotations(json("{\"Serin.dev/Note\": \"any text at all\"}"), "f"));
    }

    @Test
    void validateObjectChecksNameLabelsAnnotationsAndFinalizers() throws Exception {
        JsonNode object = json("{\"metadata\": {\"name\": \"Web\", \"labels\": {\"app\": \"-x\"},"
                + " \"annotations\": {\"a b\": \"\"}, \"finalizers\": [\"serin.dev/finalizer\", \"bad finalizer\"]}}");
        List<String> fields = ObjectMetaRules.validateObject("serin.dev", "Canary", object).stream()
                .map(FieldError::field).toList();
        assertEquals(List.of("metadata.name", "metadata.labels", "metadata.annotations", "metadata.finalizers"), fields);
        assertEquals(List.of(), ObjectMetaRules.validateObject("", "ConfigMap",
                json("{\"metadata\": {\"generateName\": \"web-\"}}")));
    }

    @Test
    void aDeploymentSelectorMustMatchItsTemplateLabels() throws Exception {
        JsonNode deployment = deployment("{\"app\": \"web\"}", "{\"app\": \"web\", \"version\": \"v1\"}");
        assertEquals(List.of(), ObjectMetaRules.validateObject("apps", "Deployment", deployment));
        List<FieldError> errors = ObjectMetaRules.validateObject("apps", "Deployment",
                deployment("{\"app\": \"web\", \"version\": \"v2\"}", "{\"version\": \"v1\", \"app\": \"web\"}"));
        assertEquals(List.of(new FieldError("spec.template.metadata.labels", FieldError.INVALID,
                "Invalid value: map[string]string{\"app\":\"web\", \"version\":\"v1\"}: `selector` does not match"
                        + " template `labels`")), errors);
        assertEquals(List.of("spec.selector.matchLabels"), ObjectMetaRules.validateObject("apps", "Deployment",
                deployment("{\"app\": \"-web\"}", "{\"app\": \"-web\"}")).stream().map(FieldError::field).toList()
                .subList(0, 1));
        assertEquals("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil),"
                + " MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
                ObjectMetaRules.validateObject("apps", "Deployment", deployment("{}", "{\"app\": \"web\"}")).get(0)
                        .toString());
    }

    @Test
    void deploymentContainersNeedANameAndAnImage() throws Exception {
        JsonNode deployment = json("""
                {"metadata": {"name": "web"}, "spec": {"replicas": -1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                  "spec": {"containers": [{"image": "web:1"}, {"name": "app"}, {"name": "app", "image": "x"}]}}}}
                """);
        assertEquals(List.of(
                FieldError.invalid("spec.replicas", -1L, "must be greater than or equal to 0"),
                FieldError.required("spec.template.spec.containers[0].name", ""),
                FieldError.required("spec.template.spec.containers[1].image", ""),
                FieldError.duplicate("spec.template.spec.containers[2].name", "app")),
                ObjectMetaRules.validateObject("apps", "Deployment", deployment));
        assertEquals("spec.template.spec.containers: Required value", ObjectMetaRules.validateObject("apps",
                "Deployment", json("{\"metadata\": {\"name\": \"web\"}, \"spec\": {\"selector\": {\"matchLabels\":"
                        + " {\"app\": \"web\"}}, \"template\": {\"metadata\": {\"labels\": {\"app\": \"web\"}}}}}"))
                .get(0).toString());
    }

    @Test
    void anEventWithEventTimeNeedsWhoReportedItAndWhatWasDone() throws Exception {
        JsonNode legacy = json("""
                {"metadata": {"name": "web.1", "namespace": "shop"}, "involvedObject": {"namespace": "other"},
                 "reason": "Started", "message": "m"}""");
        assertEquals(List.of(FieldError.invalid("involvedObject.namespace", "other", "does not match event.namespace")),
                ObjectMetaRules.validateObject("", "Event", legacy));
        JsonNode current = json("{\"metadata\": {\"name\": \"web.1\", \"namespace\": \"shop\"},"
                + " \"involvedObject\": {\"namespace\": \"shop\"}, \"eventTime\": \"2025-03-01T10:00:29.067575Z\","
                + " \"reportingComponent\": \"serin.dev/api\", \"reportingInstance\": \"serin-0\", \"reason\": \"Started\","
                + " \"message\": \"" + "é".repeat(513) + "\"}");
        assertEquals(List.of(FieldError.required("action", ""),
                FieldError.invalid("message", "", "can have at most 1024 characters")),
                ObjectMetaRules.validateObject("", "Event", current));
        assertEquals(List.of(FieldError.required("reportingController", ""), FieldError.required("reportingInstance", ""),
                FieldError.required("action", ""), FieldError.required("reason", "")),
                ObjectMetaRules.validateObject("", "Event", json("{\"metadata\": {\"name\": \"web.1\","
                        + " \"namespace\": \"shop\"}, \"involvedObject\": {\"namespace\": \"shop\"},"
                        + " \"eventTime\": \"2025-03-01T10:00:29.067575Z\"}")).stream()
                        .filter(e -> e.type().equals(FieldError.REQUIRED)).toList());
    }

    static JsonNode deployment(String selectorLabels, String templateLabels) throws Exception {
        return json("{\"metadata\": {\"name\": \"web\"}, \"spec\": {\"selector\": {\"matchLabels\": " + selectorLabels
                + "}, \"template\": {\"metadata\": {\"labels\": " + templateLabels + "},"
                + " \"spec\": {\"containers\": [{\"name\": \"web\", \"image\": \"web:1\"}]}}}}");
    }

    static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
