package dev.serin.strict.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Serin's leader election (dev.serin.leader.LeaderElection) uses fabric8's LeaseLock in serin-system. This drives
 * the lock the way fabric8's LeaderElector does (read; create when missing; renew and release by update) against
 * fabric8's mock server, and judges every request it really sent with the RBAC k8s/ installs.
 */
class LeaderElectionRbacTest {
    private static final String NAMESPACE = "serin-system";

    @Test
    void everyRequestOfTheLeaseLockIsAllowedInSerinSystem() throws Exception {
        List<RequestAttributes> sent = leaseLockRequests();
        Set<String> verbs = new TreeSet<>();
        sent.forEach(r -> verbs.add(r.verb()));
        // fabric8 7.5.2: GET the Lease, POST it when missing, and renew or release it with a JSON merge PATCH (never PUT)
        assertEquals(Set.of("create", "get", "patch"), verbs, sent.toString());

        RbacRules rules = RbacRules.fromKustomization(Path.of("k8s")).withDefaults();
        for (RequestAttributes request : sent) {
            assertEquals("coordination.k8s.io", request.apiGroup(), request.toString());
            assertEquals("leases", request.resource(), request.toString());
            assertEquals(NAMESPACE, request.namespace(), request.toString());
            Decision d = rules.authorize(Identity.SERIN, request);
            assertTrue(d.allowed(), d.reason());
        }
    }

    private static List<RequestAttributes> leaseLockRequests() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        try (KubernetesClient client = server.createClient()) {
            LeaseLock lock = new LeaseLock(NAMESPACE, "serin-leader", "serin-a");
            ZonedDateTime now = ZonedDateTime.now();
            assertNull(lock.get(client));
            lock.create(client, new LeaderElectionRecord("serin-a", Duration.ofSeconds(15), now, now, 0));
            assertNotNull(lock.get(client));
            lock.update(client, new LeaderElectionRecord("serin-a", Duration.ofSeconds(15), now, now.plusSeconds(2), 0));
            List<RequestAttributes> sent = new ArrayList<>();
            for (int i = server.getRequestCount(); i > 0; i--) {
                RecordedRequest r = server.takeRequest(10, TimeUnit.SECONDS);
                sent.add(RequestAttributes.of(r.getMethod(), r.getPath()));
            }
            return sent;
        } finally {
            server.destroy();
        }
    }
}
