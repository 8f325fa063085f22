package dev.serin.rest.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ForbiddenMessageTest {
    @Test
    void readsTheVerbAndResourceOfANamespacedDenial() {
        var denial = ForbiddenMessage.parse("deployments.apps \"api-canary\" is forbidden: User "
                + "\"system:serviceaccount:serin-system:serin\" cannot create resource \"deployments\" in API group"
                + " \"apps\" in the namespace \"web\"").orElseThrow();
        assertEquals(new ForbiddenMessage("system:serviceaccount:serin-system:serin", "create", "deployments", "apps",
                "web"), denial);
        assertEquals("create deployments (API group \"apps\") in namespace web", denial.describe());
    }

    @Test
    void readsClusterScopedCoreAndSubresourceDenials() {
        var cluster = ForbiddenMessage.parse("namespaces \"web\" is forbidden: User \"serin\" cannot get resource"
                + " \"namespaces\" in API group \"\" at the cluster scope").orElseThrow();
        assertEquals("get namespaces (the core API group) at the cluster scope", cluster.describe());
        var status = ForbiddenMessage.parse("canaries.serin.dev \"web\" is forbidden: User \"serin\" cannot patch"
                + " resource \"canaries/status\" in API group \"serin.dev\" in the namespace \"web\": RBAC: role"
                + " \"x\" not found").orElseThrow();
        assertEquals("canaries/status", status.resource());
        assertEquals("web", status.namespace());
    }

    @Test
    void aRefusalThatIsNoRbacDenialIsNotRead() {
        assertEquals(Optional.empty(), ForbiddenMessage.parse("canaries.serin.dev \"web\" is forbidden: unable to"
                + " create new content in namespace web because it is being terminated"));
        assertEquals(Optional.empty(), ForbiddenMessage.parse("admission webhook \"x\" denied the request"));
        assertEquals(Optional.empty(), ForbiddenMessage.parse(null));
    }
}
