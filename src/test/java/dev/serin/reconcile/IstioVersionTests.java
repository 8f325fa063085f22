package dev.serin.reconcile;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.IstioDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A Canary end to end on the networking.istio.io version the API server's discovery says it serves; subclasses pick
 * the discovery. The mock's CRUD store would take any version, so the requests Serin sent are checked too.
 */
abstract class IstioVersionTests {
    static final Duration DEADLINE = Duration.ofSeconds(15);

    @Inject
    KubernetesClient client;
    @KubernetesTestServer
    KubernetesServer server;

    /** The version Serin must read and write. */
    abstract String expectedVersion();

    @Test
    void aCanaryReachesItsWeightsAndEveryIstioRequestUsesTheServedVersion() throws InterruptedException {
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

        List<String> istio = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.getKubernetesMockServer().takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            String path = r.getPath();
            // discovery documents (/apis/networking.istio.io[/version]) may be asked for any version
            if (path.startsWith(IstioDiscovery.GROUP_PATH + "/") && path.indexOf('/', IstioDiscovery.GROUP_PATH.length() + 1) > 0) {
                istio.add(r.getMethod().toUpperCase() + " " + path);
            }
        }
        String prefix = IstioDiscovery.GROUP_PATH + "/" + expectedVersion() + "/";
        assertTrue(istio.stream().allMatch(s -> s.substring(s.indexOf(' ') + 1).startsWith(prefix)), istio::toString);
        assertTrue(istio.stream().anyMatch(s -> s.startsWith("PUT ") && s.contains("/virtualservices/api")), istio::toString);
        assertTrue(istio.stream().anyMatch(s -> s.startsWith("POST ") && s.contains("/virtualservices")), istio::toString);
        assertTrue(istio.stream().anyMatch(s -> s.contains("watch=true") && s.contains("destinationrules")), istio::toString);
    }
}
