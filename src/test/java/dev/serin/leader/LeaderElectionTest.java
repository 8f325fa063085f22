package dev.serin.leader;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.reconcile.Controller;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Two Serin instances on one API server: this test plays the second one, and only the leader writes. */
@QuarkusTest
@WithStrictApiServer
@TestProfile(LeaderElectionProfile.class)
class LeaderElectionTest {
    static final String NS = LeaderElectionProfile.NS;

    @Strict
    KubernetesClient client;
    @Inject
    Controller controller;
    @Inject
    RecordingExit exit;

    @Test
    void onlyTheLeaderWritesAndTheOtherTakesOverWhenItGoes() {
        await().atMost(Duration.ofSeconds(15)).until(controller::started);

        // the other replica takes the lease: it renews faster than ours can reclaim it
        CompletableFuture<?> other = otherReplica();
        await().atMost(Duration.ofSeconds(15)).until(() -> !controller.active());

        Fixture f = new Fixture(client).service("api", 40);
        f.create(f.canary("api", "api", 3, "v2"));
        // not leading, Serin writes nothing: no finalizer, no status, no canary Deployment
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> f.getCanary("api").getStatus() == null);
        var finalizers = f.getCanary("api").getMetadata().getFinalizers();
        assertTrue(finalizers == null || finalizers.isEmpty(), String.valueOf(finalizers));
        assertNull(f.deploymentNow("api-canary"));

        other.cancel(true); // the other replica goes away and releases the lease
        await().atMost(Duration.ofSeconds(15)).until(controller::started);
        f.markReady("api-canary");
        await().atMost(Duration.ofSeconds(15)).until(() -> f.mainRoute("api").equals(List.of("stable=97", "canary=3")));
        assertEquals("serin-a", client.leases().inNamespace(NS).withName("serin-leader").get().getSpec().getHolderIdentity());
    }

    /**
     * A replica that loses the lease stops acting at once: it exits (here the stand-in records the exit code and the
     * controller stops), and it publishes no per-Canary series any more (the new leader does).
     */
    @Test
    void aReplicaThatLosesTheLeaseExitsAndLeavesNoCanarySeries() {
        await().atMost(Duration.ofSeconds(15)).until(controller::started);
        Fixture f = new Fixture(client).service("web", 40);
        f.create(f.canary("web", "web", 3, "v2"));
        f.markReady("web-canary");
        await().atMost(Duration.ofSeconds(15)).until(() -> f.mainRoute("web").equals(List.of("stable=97", "canary=3")));
        String series = "serin_canary_weight{name=\"web\",namespace=\"" + f.namespace + "\"}";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200) // slow on a loaded machine
                .body(containsString(series)));
        exit.codes.clear();

        CompletableFuture<?> other = otherReplica();
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> exit.codes.contains(1));
            await().atMost(Duration.ofSeconds(5)).until(() -> !controller.active());
            given().get("/q/metrics").then().statusCode(200).body(not(containsString(series)));
        } finally {
            other.cancel(true);
        }
        await().atMost(Duration.ofSeconds(15)).until(controller::started); // in tests it stands again
    }

    /**
     * The renewals go through: on a real API server with k8s/'s RBAC (which this test's server enforces), a refused
     * renewal loses the lease after the renew deadline and restarts the controller every few seconds.
     */
    @Test
    void theLeaderKeepsItsLeaseAcrossManyRenewals() {
        await().atMost(Duration.ofSeconds(15)).until(controller::started);
        ZonedDateTime renewed = client.leases().inNamespace(NS).withName("serin-leader").get().getSpec().getRenewTime();
        // three renew deadlines of 1.5 s: the controller never stops in between
        await().during(Duration.ofMillis(4500)).atMost(Duration.ofSeconds(6)).until(controller::started);
        var lease = client.leases().inNamespace(NS).withName("serin-leader").get().getSpec();
        assertEquals("serin-a", lease.getHolderIdentity());
        assertTrue(lease.getRenewTime().isAfter(renewed), "renewed since " + renewed + ": " + lease.getRenewTime());
    }

    /**
     * Any replica may answer the dashboard: one that does not lead (its controller stopped, its cache with it) draws the
     * same chart from a read-only watch of its own, and keeps that history when it takes over the lease.
     */
    @Test
    void aReplicaThatDoesNotLeadServesTheHistoryAndKeepsItWhenItTakesOver() {
        await().atMost(Duration.ofSeconds(15)).until(controller::started);
        CompletableFuture<?> other = otherReplica();
        Fixture f = new Fixture(client).service("shop", 40);
        String history = "/api/v1/namespaces/{ns}/canaries/shop/history";
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> !controller.active());
            f.create(f.canary("shop", "shop", 3, "v2"));
            // the leader (played here) applies 3, then 10
            leaderWritesWeight(f, 3.0);
            // generous deadlines: the first request to the history makes Quarkus warm up, slow on a loaded machine
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(history, f.namespace).then()
                    .statusCode(200).body("points.weight", hasItem(3.0f)));
            f.setWeight("shop", 10);
            leaderWritesWeight(f, 10.0);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(history, f.namespace).then()
                    .statusCode(200).body("points.weight", hasItems(3.0f, 10.0f))
                    .body("points.desiredWeight", hasItems(3.0f, 10.0f))
                    .body("points[-1].weightChangedAt", equalTo("2026-01-01T10:00:10Z")));
            assertFalse(controller.started(), "served while not leading");
        } finally {
            other.cancel(true);
        }
        await().atMost(Duration.ofSeconds(15)).until(controller::started);
        given().get(history, f.namespace).then().statusCode(200).body("points.weight", hasItems(3.0f, 10.0f));
    }

    private void leaderWritesWeight(Fixture f, double weight) {
        Fixture.retryOnConflict(() -> {
            Canary c = f.getCanary("shop");
            c.setStatus(new CanaryStatus());
            c.getStatus().phase = Phase.Progressing;
            c.getStatus().weight = weight;
            c.getStatus().weightChangedAt = "2026-01-01T10:00:" + (weight < 10 ? "0" : "") + (int) weight + "Z";
            return client.resources(Canary.class).inNamespace(f.namespace).resource(c).updateStatus();
        });
    }

    /** A second instance that steals the lease the moment it can and keeps it until cancelled. */
    CompletableFuture<?> otherReplica() {
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> { // our renewals may win a race or two
            Lease lease = client.leases().inNamespace(NS).withName("serin-leader").get();
            lease.getSpec().setHolderIdentity("serin-b");
            lease.getSpec().setRenewTime(ZonedDateTime.now());
            lease.getSpec().setLeaseDurationSeconds(60);
            client.leases().inNamespace(NS).resource(lease).update();
            return true;
        });
        return client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName("other").withLock(new LeaseLock(NS, "serin-leader", "serin-b"))
                .withLeaseDuration(Duration.ofSeconds(60)).withRenewDeadline(Duration.ofSeconds(1))
                .withRetryPeriod(Duration.ofMillis(200)).withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(() -> { }, () -> { }, leader -> { }))
                .build()).build().start();
    }
}
