package dev.serin.leader;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.reconcile.Controller;
import dev.serin.strict.Strict;
import dev.serin.strict.StrictApiServer;
import dev.serin.strict.WithStrictApiServer;
import dev.serin.strict.Written;
import dev.serin.strict.rbac.Identity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on the leader: it stops taking work, lets the reconciles in flight finish (for at most
 * serin.shutdown.timeout), and only then releases the Lease, so no write of it lands after the next leader may have
 * started. The order is read from the API server: it logs every write in the order it stored them.
 */
@QuarkusTest
@WithStrictApiServer
@TestProfile(LeaderElectionProfile.class)
class ShutdownOrderTest {
    static final String NS = LeaderElectionProfile.NS;
    static final Duration TIMEOUT = LeaderElectionProfile.SHUTDOWN_TIMEOUT;
    static final Duration DEADLINE = Duration.ofSeconds(20);

    @Strict
    KubernetesClient client;
    @Strict
    StrictApiServer server;
    @Inject
    Controller controller;
    @Inject
    LeaderElection election;
    @Inject
    StatusWriteGate gate;

    /** Each test starts leading; a test that shut the election down stands again, as a restarted pod would. */
    @BeforeEach
    void leading() {
        if (!controller.active()) {
            election.onStart(null);
        }
        await().atMost(DEADLINE).until(controller::started);
    }

    @AfterEach
    void open() {
        gate.release();
    }

    @Test
    void aReconcileInFlightAtShutdownFinishesBeforeTheLeaseIsReleased() throws Exception {
        Fixture f = weightAt3("api");
        gate.hold("api", 5);
        f.setWeight("api", 5);
        await().atMost(DEADLINE).until(gate::waiting); // routes written, status not yet

        CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> election.onStop(new ShutdownEvent()));
        await().atMost(DEADLINE).until(() -> !controller.active()); // it takes no more work
        gate.release();
        shutdown.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

        assertEquals(5.0, f.getCanary("api").getStatus().weight, "the reconcile in flight ran to its end");
        List<Written.Write> writes = server.writes();
        int lastCanaryWrite = lastIndex(writes, w -> w.by(Identity.SERIN.user()) && w.resource().equals("canaries"));
        int release = lastIndex(writes, ShutdownOrderTest::releasesLease);
        assertTrue(release > lastCanaryWrite, "the Lease was released at write " + release
                + ", before the Canary's write " + lastCanaryWrite);
        assertTrue(released());
    }

    @Test
    void aReconcileThatOutlastsTheShutdownTimeoutDoesNotKeepTheLease() {
        Fixture f = weightAt3("web");
        gate.hold("web", 5);
        f.setWeight("web", 5);
        await().atMost(DEADLINE).until(gate::waiting);

        long start = System.nanoTime();
        election.onStop(new ShutdownEvent());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(took.compareTo(TIMEOUT) >= 0, "waited for the reconcile in flight only " + took);
        assertTrue(took.compareTo(TIMEOUT.plusSeconds(5)) < 0, "waited " + took);
        assertTrue(released());
    }

    /** A Canary at weight 3 with its pods ready and its routes and status written. */
    private Fixture weightAt3(String name) {
        Fixture f = new Fixture(client).service(name, 40);
        f.create(f.canary(name, name, 3, "v2"));
        f.markReady(name + "-canary");
        await().atMost(DEADLINE).until(() -> f.mainRoute(name).equals(List.of("stable=97", "canary=3"))
                && f.getCanary(name).getStatus() != null && Double.valueOf(3).equals(f.getCanary(name).getStatus().weight));
        return f;
    }

    private boolean released() {
        return client.leases().inNamespace(NS).withName("serin-leader").get().getSpec().getLeaseDurationSeconds() == 1;
    }

    /** fabric8's LeaderElector releases its Lease by renewing it for one second: the next leader waits no longer. */
    private static boolean releasesLease(Written.Write w) {
        return w.by(Identity.SERIN.user()) && w.resource().equals("leases")
                && w.object().path("spec").path("leaseDurationSeconds").asInt() == 1;
    }

    private static int lastIndex(List<Written.Write> writes, java.util.function.Predicate<Written.Write> which) {
        for (int i = writes.size() - 1; i >= 0; i--) {
            if (which.test(writes.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
