package dev.serin.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.Canary;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Names and label values Serin derives objects from are checked before anything is written. */
class CanaryNamesTest {
    static Canary canary(String name, String version) {
        Canary c = CanaryDeploymentBuilderTest.canary();
        c.getMetadata().setName(name);
        c.getSpec().canary.version = version;
        return c;
    }

    static Optional<Invalid> validate(Canary c) {
        return CanaryValidator.validate(c, ResolvedCanary.of(c), CanaryDeploymentBuilderTest.target(4), List.of(c),
                weight -> Optional.empty());
    }

    static Invalid refused(Canary c, String reason) {
        Invalid invalid = validate(c).orElseThrow(() -> new AssertionError(c.getMetadata().getName() + " was accepted"));
        assertEquals(reason, invalid.reason(), invalid.message());
        return invalid;
    }

    @Test
    void aNameOfAtMost56LowerCaseLettersDigitsAndDashesIsAccepted() {
        for (String name : List.of("a".repeat(56), "api", "api-v2", "0day")) {
            assertEquals(Optional.empty(), validate(canary(name, "v2")), name);
        }
    }

    @Test
    void aLongerNameIsRefusedSayingWhy() {
        String name = "a".repeat(57);
        Invalid invalid = refused(canary(name, "v2"), "InvalidName");
        assertTrue(invalid.message().contains("57") && invalid.message().contains("at most 56"), invalid.message());
        assertTrue(invalid.message().contains(name + "-canary"), invalid.message());
    }

    @Test
    void aNameThatIsNoDnsLabelIsRefused() {
        for (String name : List.of("api.v2", "Api", "api-", "-api", "api_v2")) {
            Invalid invalid = refused(canary(name, "v2"), "InvalidName");
            assertTrue(invalid.message().contains("DNS-1123 label"), invalid.message());
        }
    }

    /** One rule for both: the controller, like the REST API, takes any Deployment name, dots included. */
    @Test
    void theTargetIsADeploymentNameADnsSubdomain() {
        Canary dotted = canary("api", "v2");
        dotted.getSpec().targetRef.name = "api.v2";
        assertEquals(Optional.empty(), validate(dotted));
        for (String target : List.of("Api", "api_v2", "api.", ".api", "a".repeat(254))) {
            Canary c = canary("api", "v2");
            c.getSpec().targetRef.name = target;
            Invalid invalid = refused(c, "InvalidTarget");
            assertTrue(invalid.message().contains("DNS-1123 subdomain"), invalid.message());
        }
    }

    /** NameRules says what the real API server says of a Deployment's name (the strict server's copy of its rule). */
    @Test
    void deploymentNamesAreJudgedAsTheApiServerJudgesThem() {
        for (String name : List.of("api", "api.v2", "a.b.c", "0day", "a".repeat(253), "a".repeat(254), "Api", "api_v2",
                "api.", ".api", "api..v2", "-api", "api-", "a-.b", "ünicode", "")) {
            boolean serverRefuses = !dev.serin.strict.validation.ObjectMetaRules.name("Deployment", name).isEmpty();
            assertEquals(serverRefuses, NameRules.deploymentName(name).isPresent(), name);
        }
    }

    @Test
    void theVersionMustBeALabelValue() {
        for (String version : List.of("v2", "V2", "1.2.3_rc-1", "4f2c1e9", "a".repeat(63))) {
            assertEquals(Optional.empty(), validate(canary("api", version)), version);
        }
        for (String version : List.of("v2/beta", "-v2", "v2.", "v 2", "a".repeat(64), "ünicode")) {
            Invalid invalid = refused(canary("api", version), "InvalidVersion");
            assertTrue(invalid.message().contains("spec.canary.version") && invalid.message().contains("label value"),
                    invalid.message());
        }
    }
}
