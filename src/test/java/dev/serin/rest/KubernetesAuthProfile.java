package dev.serin.rest;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;
import java.util.Set;

/** serin.api.auth=kubernetes, answered by {@link FakeKubeAuth}; a dashboard template is configured. */
public class KubernetesAuthProfile implements QuarkusTestProfile {
    public static final String TEMPLATE = "https://dashboards.example/canary?ns={namespace}&name={name}&version={version}";

    /** The API serves the tests' own namespaces although the controller watches only controller-elsewhere. */
    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(ServeEveryNamespace.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "serin.api.auth", "kubernetes",
                "serin.dashboard.url-template", TEMPLATE,
                "quarkus.log.category.\"io.fabric8.mockwebserver\".level", "WARN",
                // these tests pin the API layer alone, so the controller watches a namespace they never use
                "serin.namespaces", "controller-elsewhere");
    }
}
