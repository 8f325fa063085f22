package dev.serin.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.strict.validation.CrdValidator;
import dev.serin.strict.validation.FieldError;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a real API server refuses in a Canary, judged by the checked-in CRD's schema and CEL rules. */
class CanaryCrdRulesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static CrdValidator crd;

    @BeforeAll
    static void load() {
        crd = CrdValidator.load(List.of(Path.of("k8s/crd", CrdUpToDateTest.FILE)));
    }

    @Test
    void everyWeightFrom0To100InSteps0Of01IsAccepted() {
        List<String> refused = new ArrayList<>();
        for (int i = 0; i <= 10_000; i++) {
            double weight = new BigDecimal(i).movePointLeft(2).doubleValue(); // as JSON parsing makes it
            ObjectNode canary = canary("web", "{\"targetRef\": {\"name\": \"web\"}}");
            ((ObjectNode) canary.get("spec")).put("weight", weight);
            if (!validate(canary).isEmpty()) {
                refused.add(weight + ": " + validate(canary));
            }
        }
        assertEquals(List.of(), refused.stream().limit(5).toList(), refused.size() + " weights refused");
    }

    @Test
    void aWeightWithThreeDecimalsIsRefused() {
        assertRefused(spec("\"weight\": 1.234"), "spec.weight", "at most 2 decimals");
        assertRefused(spec("\"weight\": 100.5"), "spec.weight", "less than or equal to 100");
        assertRefused(spec("\"weight\": -1"), "spec.weight", "greater than or equal to 0");
    }

    @Test
    void aCanaryWithoutSpecIsRefused() {
        List<FieldError> errors = validate(canary("web", null));
        assertTrue(errors.contains(FieldError.required("spec", "")), errors.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"interval", "progressDeadline"})
    void durationsAreKubernetesOrIsoDurationsAboveZero(String field) {
        // the other duration leaves room: progressDeadline must be at least interval
        String other = field.equals("interval") ? ", \"progressDeadline\": \"2h\"" : ", \"interval\": \"100ms\"";
        for (String accepted : List.of("30s", "1h30m", "500ms", "1.5h", "PT5M", "PT1M30S", "pt30s", "PT0.5S", "PT1H")) {
            assertEquals(List.of(), validate(spec("\"autopilot\": {\"" + field + "\": \"" + accepted + "\"" + other + "}")),
                    accepted);
        }
        for (String refused : List.of("0s", "abc", "0m0s", "5", "1d", "-1s", "PT", "PT0S", "P1D", "PT-1S", "PT1.5M",
                "1m30", "PT5M30")) {
            assertRefused(spec("\"autopilot\": {\"" + field + "\": \"" + refused + "\"" + other + "}"),
                    "spec.autopilot." + field, "");
        }
    }

    @Test
    void stepsMustBeStrictlyAscendingWeights() {
        assertEquals(List.of(), validate(spec("\"autopilot\": {\"steps\": [0.5, 1, 2.5, 50]}")));
        assertRefused(spec("\"autopilot\": {\"steps\": [1, 5, 5]}"), "spec.autopilot.steps", "ascending");
        assertRefused(spec("\"autopilot\": {\"steps\": [5, 1]}"), "spec.autopilot.steps", "ascending");
        assertRefused(spec("\"autopilot\": {\"steps\": [1, 101]}"), "spec.autopilot.steps", "0 to 100");
        assertRefused(spec("\"autopilot\": {\"steps\": [1, 1.234]}"), "spec.autopilot.steps", "2 decimals");
    }

    @Test
    void theProgressDeadlineIsAtLeastTheIntervalAndTheFailureThresholdPositive() {
        assertEquals(List.of(), validate(spec("\"autopilot\": {\"interval\": \"5m\", \"progressDeadline\": \"5m\"}")));
        assertEquals(List.of(), validate(spec("\"autopilot\": {\"interval\": \"10m\"}")));
        assertRefused(spec("\"autopilot\": {\"interval\": \"5m\", \"progressDeadline\": \"1m\"}"),
                "spec.autopilot", "progressDeadline must be at least interval");
        assertRefused(spec("\"autopilot\": {\"interval\": \"11m\"}"), "spec.autopilot", "at least interval");
        assertRefused(spec("\"autopilot\": {\"progressDeadline\": \"4m\"}"), "spec.autopilot", "at least interval");
        // either form on either side
        assertEquals(List.of(), validate(spec("\"autopilot\": {\"interval\": \"PT5M\", \"progressDeadline\": \"5m\"}")));
        assertRefused(spec("\"autopilot\": {\"interval\": \"PT10M\", \"progressDeadline\": \"9m59s\"}"),
                "spec.autopilot", "at least interval");
        assertRefused(spec("\"autopilot\": {\"progressDeadline\": \"PT4M59.5S\"}"), "spec.autopilot", "at least interval");
        assertEquals(List.of(), validate(spec("\"autopilot\": {\"analysis\": {\"failureThreshold\": 1}}")));
        assertRefused(spec("\"autopilot\": {\"analysis\": {\"failureThreshold\": 0}}"),
                "spec.autopilot.analysis.failureThreshold", "");
    }

    @Test
    void compareModeRatiosScoresAndStep() {
        String ok = "\"autopilot\": {\"analysis\": {\"latencyP99\": {\"compare\": {\"direction\": \"increase\","
                + " \"allowedIncrease\": 1.1, \"critical\": true}}, \"successRate\": {\"compare\": {\"allowedDecrease\":"
                + " 0.9}}, \"queries\": [{\"name\": \"q\", \"query\": \"up\", \"compare\": {\"direction\": \"either\"}}],"
                + " \"judge\": {\"passScore\": 95, \"marginalScore\": 75, \"step\": \"10s\", \"minSamples\": 20}}}";
        assertEquals(List.of(), validate(spec(ok)));
        String at = "spec.autopilot.analysis.";
        assertRefused(analysis("\"latencyP99\": {\"compare\": {\"allowedIncrease\": 0.9}}"),
                at + "latencyP99.compare.allowedIncrease", "greater than or equal to 1");
        assertRefused(analysis("\"successRate\": {\"compare\": {\"allowedDecrease\": 1.1}}"),
                at + "successRate.compare.allowedDecrease", "less than or equal to 1");
        assertRefused(analysis("\"successRate\": {\"compare\": {\"direction\": \"up\"}}"),
                at + "successRate.compare.direction", "");
        assertRefused(analysis("\"successRate\": {\"min\": 99, \"compare\": {}}"), at + "successRate",
                "compare replaces min and max");
        assertRefused(analysis("\"latencyP99\": {\"maxMs\": 500, \"compare\": {}}"), at + "latencyP99",
                "compare replaces maxMs");
        assertRefused(analysis("\"queries\": [{\"query\": \"up\", \"max\": 1, \"compare\": {}}]"),
                at + "queries[0]", "compare replaces min and max");
        assertRefused(analysis("\"judge\": {\"marginalScore\": 96}"), at + "judge",
                "marginalScore must not be above passScore");
        assertRefused(analysis("\"judge\": {\"passScore\": 70}"), at + "judge", "marginalScore must not be above");
        assertEquals(List.of(), validate(analysis("\"judge\": {\"passScore\": 70, \"marginalScore\": 70}")));
        assertRefused(analysis("\"judge\": {\"passScore\": 101}"), at + "judge.passScore", "");
        assertRefused(analysis("\"judge\": {\"step\": \"0s\"}"), at + "judge.step", "above zero");
        assertRefused(analysis("\"judge\": {\"minSamples\": 0}"), at + "judge.minSamples", "");
    }

    @Test
    void datadogNamesADocumentedSiteAndNoPrometheus() {
        for (String site : List.of("datadoghq.com", "us3.datadoghq.com", "us5.datadoghq.com", "datadoghq.eu",
                "ap1.datadoghq.com", "ap2.datadoghq.com", "ddog-gov.com")) {
            assertEquals(List.of(), validate(analysis("\"datadog\": {\"site\": \"" + site + "\"}")), site);
        }
        assertEquals(List.of(), validate(analysis("\"datadog\": {}")));
        String at = "spec.autopilot.analysis";
        assertRefused(analysis("\"datadog\": {\"site\": \"evil.example\"}"), at + ".datadog.site", "");
        assertRefused(analysis("\"datadog\": {}, \"prometheus\": \"http://p:9090\""), at, "not both");
        assertRefused(analysis("\"datadog\": {}, \"latencyP99\": {\"compare\": {}}"), at,
                "with datadog, write them as queries");
    }

    static ObjectNode analysis(String fields) {
        return spec("\"autopilot\": {\"analysis\": {" + fields + "}}");
    }

    @Test
    void stepWeightAndMaxWeightAreWeightsToo() {
        assertEquals(List.of(), validate(spec("\"autopilot\": {\"stepWeight\": 0.29, \"maxWeight\": 50.57}")));
        assertRefused(spec("\"autopilot\": {\"stepWeight\": 1.234}"), "spec.autopilot.stepWeight", "2 decimals");
        assertRefused(spec("\"autopilot\": {\"maxWeight\": 1.234}"), "spec.autopilot.maxWeight", "2 decimals");
        assertRefused(spec("\"autopilot\": {\"maxWeight\": 101}"), "spec.autopilot.maxWeight", "");
        assertRefused(spec("\"autopilot\": {\"stepWeight\": 0}"), "spec.autopilot.stepWeight", "greater than 0");
    }

    @Test
    void theCanaryVersionIsALabelValue() {
        assertEquals(List.of(), validate(spec("\"canary\": {\"version\": \"v2\"}")));
        assertEquals(List.of(), validate(spec("\"canary\": {\"version\": \"" + "v".repeat(63) + "\"}")));
        assertRefused(spec("\"canary\": {\"version\": \"-bad\"}"), "spec.canary.version", "");
        assertRefused(spec("\"canary\": {\"version\": \"" + "v".repeat(64) + "\"}"), "spec.canary.version", "63");
    }

    @Test
    void theNameLeavesRoomForTheCanarySuffix() {
        String spec = "{\"targetRef\": {\"name\": \"web\"}, \"weight\": 5}";
        assertEquals(List.of(), validate(canary("n".repeat(56), spec)));
        List<FieldError> errors = validate(canary("n".repeat(57), spec));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).message().contains("at most 56 characters"), errors.toString());
    }

    @Test
    void httpRoutesAndIstioObjectsAreNeverBothSet() {
        assertEquals(List.of(), validate(spec("\"traffic\": {\"httpRoutes\": [\"web\"], \"host\": \"web\"}")));
        assertRefused(spec("\"traffic\": {\"httpRoutes\": [\"web\"], \"virtualServices\": [\"web\"]}"),
                "spec.traffic", "set one or the other");
        assertRefused(spec("\"traffic\": {\"httpRoutes\": [\"web\"], \"destinationRule\": \"web\"}"),
                "spec.traffic", "set one or the other");
        assertRefused(spec("\"traffic\": {\"httpRoutes\": []}"), "spec.traffic.httpRoutes", "");
    }

    @Test
    void withHttpRoutesTheNameIsADns1035Label() {
        String routes = "{\"targetRef\": {\"name\": \"web\"}, \"weight\": 5, \"traffic\": {\"httpRoutes\": [\"web\"]}}";
        String istio = "{\"targetRef\": {\"name\": \"web\"}, \"weight\": 5}";
        assertEquals(List.of(), validate(canary("web-2", routes)));
        assertEquals(List.of(), validate(canary("2web", istio)), "Istio names no Service after the Canary");
        for (String name : List.of("2web", "web.v2")) {
            List<FieldError> errors = validate(canary(name, routes));
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).message().contains("DNS-1035 label"), errors.toString());
        }
    }

    @Test
    void theExampleCanaryIsValid() throws Exception {
        JsonNode example = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper()
                .readTree(Path.of("k8s/examples/canary.yaml").toFile());
        assertEquals(List.of(), validate(example));
    }

    @Test
    void testersAreHeaderOrCookieMatchesAtMostEight() {
        assertEquals(List.of(), validate(spec("\"testers\": [{\"header\": {\"name\": \"x-canary\", \"value\": \"always\"}},"
                + " {\"header\": {\"name\": \"x-user\", \"value\": \"^(ann|bo)$\", \"regex\": true}},"
                + " {\"cookie\": {\"name\": \"Canary\", \"value\": \"1\"}}]")));
        assertRefused(spec("\"testers\": [{}]"), "spec.testers[0]", "either a header or a cookie");
        assertRefused(spec("\"testers\": [{\"header\": {\"name\": \"x-a\", \"value\": \"1\"},"
                + " \"cookie\": {\"name\": \"a\", \"value\": \"1\"}}]"), "spec.testers[0]", "either a header");
        // Istio documents lowercase header names; Gateway API's HTTPHeaderName is a token: both hold for these only
        for (String name : List.of("X-Canary", "x canary", "x:canary", ":authority", "")) {
            assertRefused(spec("\"testers\": [{\"header\": {\"name\": \"" + name + "\", \"value\": \"1\"}}]"),
                    "spec.testers[0].header.name", "");
        }
        assertRefused(spec("\"testers\": [{\"header\": {\"name\": \"x-canary\", \"value\": \"\"}}]"),
                "spec.testers[0].header.value", "");
        for (String value : List.of("a b", "a;b", "a,b", "\\\"a\\\"", "")) {
            assertRefused(spec("\"testers\": [{\"cookie\": {\"name\": \"canary\", \"value\": \"" + value + "\"}}]"),
                    "spec.testers[0].cookie.value", "");
        }
        String nine = String.join(", ", java.util.Collections.nCopies(9,
                "{\"header\": {\"name\": \"x-canary\", \"value\": \"always\"}}"));
        assertRefused(spec("\"testers\": [" + nine + "]"), "spec.testers", "");
    }

    @Test
    void stickyNamesACookieAndAMaxAgeAboveZero() {
        assertEquals(List.of(), validate(spec("\"sticky\": {\"cookie\": \"serin-canary\", \"maxAge\": \"1h\"}")));
        assertEquals(List.of(), validate(spec("\"sticky\": {\"cookie\": \"serin-canary\", \"maxAge\": \"PT30M\"}")));
        assertRefused(spec("\"sticky\": {\"cookie\": \"serin-canary\", \"maxAge\": \"0s\"}"), "spec.sticky.maxAge",
                "above zero");
        assertRefused(spec("\"sticky\": {\"cookie\": \"a;b\", \"maxAge\": \"1h\"}"), "spec.sticky.cookie", "");
        assertRefused(spec("\"sticky\": {\"maxAge\": \"1h\"}"), "spec.sticky.cookie", "");
    }

    static void assertRefused(JsonNode canary, String field, String messagePart) {
        List<FieldError> errors = validate(canary);
        assertTrue(errors.stream().anyMatch(e -> e.field().equals(field) && e.message().contains(messagePart)),
                canary.get("spec") + " should be refused at " + field + " (" + messagePart + "), got " + errors);
    }

    static List<FieldError> validate(JsonNode canary) {
        return crd.validate("serin.dev", "v1alpha1", "canaries", canary, null);
    }

    /** A valid spec plus the given fields (a later key replaces weight). */
    static ObjectNode spec(String fields) {
        return canary("web", "{\"targetRef\": {\"name\": \"web\"}, \"weight\": 5, " + fields + "}");
    }

    static ObjectNode canary(String name, String spec) {
        try {
            ObjectNode canary = (ObjectNode) JSON.readTree("{\"apiVersion\": \"serin.dev/v1alpha1\", \"kind\": \"Canary\","
                    + " \"metadata\": {\"name\": \"" + name + "\", \"namespace\": \"shop\"}}");
            if (spec != null) {
                canary.set("spec", JSON.readTree(spec));
            }
            return canary;
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
