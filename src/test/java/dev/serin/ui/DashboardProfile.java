package dev.serin.ui;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The dashboard as in a cluster: serin.api.auth=kubernetes (tokens answered by FakeKubeAuth), controller running. */
public class DashboardProfile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("serin.api.auth", "kubernetes");
    }
}
