package dev.serin.ui;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The dashboard as in a cluster: serin.api.auth=kubernetes (tokens answered by FakeKubeAuth), controller running. */
public class DashboardProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        // decisions cached 0.2 s, not 5 s: a test that grants a permission after a 403 sees it without waiting 5 s
        return Map.of("serin.api.auth", "kubernetes", "serin.api.auth-cache-ttl", "200ms");
    }
}
