package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A Canary end to end on the networking.istio.io version the API server serves; subclasses pick the Istio release
 * whose CRDs the strict server installs. That server answers 404 for any other version, as a real one does, so a
 * Canary that reaches its weights read and wrote only the served version.
 */
abstract class IstioVersionTests {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Strict
    KubernetesClient client;
    @Strict
    StrictApiServer server;

    /** The version Serin must read and write. */
    abstract String expectedVersion();

    @Test
    void aCanaryReachesItsWeightsAndEveryIstioRequestUsesTheServedVersion() {
        Assumptions.assumeTrue(Files.exists(StrictApiServer.istioCrds(server.istioVersion())),
                StrictApiServer.istioCrds(server.istioVersion()) + " is absent: Istio " + server.istioVersion()
                        + "'s CRDs are test data from ../shared/istio");
        Fixture f = new Fixture(client).onIstio(expectedVersion()).service("api", 40);
        f.create(f.canary("api", "api", 3, "v2"));
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));

        f.deployment("web", 4, Map.of("app", "web", "version", "v1"));
        f.create(f.canary("web", "web", 25, "v2"));
        f.markReady("web-canary");
        await().atMost(DEADLINE).until(() -> f.vs("web") != null && f.vs("web").at("/spec/http/0/route").size() == 2);
        assertEquals(f.istio.apiVersion(), f.vs("web").path("apiVersion").asText(), "the VirtualService Serin created");
        assertEquals(f.istio.apiVersion(), f.dr("web").path("apiVersion").asText(), "the DestinationRule Serin created");

    }
}
