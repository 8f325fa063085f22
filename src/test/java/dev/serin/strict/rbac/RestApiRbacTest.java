package dev.serin.strict.rbac;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The REST API (dev.serin.rest) checks the caller with a TokenReview and a SubjectAccessReview, then does the work
 * with Serin's own ServiceAccount: no impersonation, which would need cluster-wide impersonate on users and groups.
 * So every request CanaryService and Authorizer send must be granted to serin-system/serin.
 */
class RestApiRbacTest {
    private static final String CANARIES = "/apis/serin.dev/v1alpha1/namespaces/web/canaries";

    /** method, path, and what sends it. */
    private static final String[][] REQUESTS = {
        {"POST", "/apis/authentication.k8s.io/v1/tokenreviews", "Authorizer: who is the caller"},
        {"POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", "Authorizer: may the caller do it"},
        {"GET", "/api/v1/namespaces/web", "CanaryService.requireNamespace: 404 for a missing namespace"},
        {"GET", "/apis/serin.dev/v1alpha1/canaries", "CanaryService.listAll"},
        {"GET", CANARIES, "CanaryService.list, and start looking for a name or target in use"},
        {"GET", CANARIES + "/api", "CanaryService.get and every write's read first"},
        {"PATCH", CANARIES + "/api", "CanaryService.setWeight and request (pause, resume, abort, promote)"},
        {"GET", CANARIES + "?fieldSelector=metadata.name%3Dapi&resourceVersion=0", "CanaryService.awaitWeight (?wait=): list"},
        {"GET", CANARIES + "?allowWatchBookmarks=true&fieldSelector=metadata.name%3Dapi&watch=true", "awaitWeight: watch"},
        {"POST", CANARIES, "CanaryService.start"},
        {"POST", "/api/v1/namespaces/web/events", "CanaryService.recordStarted: the Started event"},
        {"DELETE", CANARIES + "/api", "CanaryService.stop"},
    };

    @Test
    void everyRequestTheRestApiMakesAsSerinIsGranted() throws IOException {
        RbacRules rules = RbacRules.fromKustomization(Path.of("k8s")).withDefaults();
        List<String> refused = new ArrayList<>();
        for (String[] r : REQUESTS) {
            Decision d = rules.authorize(Identity.SERIN, RequestAttributes.of(r[0], r[1]));
            if (!d.allowed()) {
                refused.add(r[2] + ": " + d.reason());
            }
        }
        assertTrue(refused.isEmpty(), String.join("\n", refused));
    }
}
