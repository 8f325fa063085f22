package dev.serin.rest;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/** serin.api.auth=none, no dashboard template. */
public class NoAuthProfile implements QuarkusTestProfile {
    /** The API serves the tests' own namespaces although the controller watches only controller-elsewhere. */
    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(ServeEveryNamespace.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("serin.api.auth", "none",
                "quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN",
                // the API layer alone: the controller (whose finalizer keeps a stopped Canary a while) looks elsewhere
                "serin.namespaces", "controller-elsewhere");
    }
}
