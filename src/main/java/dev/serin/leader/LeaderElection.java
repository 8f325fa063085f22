package dev.serin.leader;

import dev.serin.config.SerinConfig;
import dev.serin.reconcile.Controller;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * With several replicas, a Lease picks the one that reconciles and steps the autopilot; the others serve reads and
 * take REST writes, which only patch Canaries. A replica that loses the lease exits at once (exit code 1) unless
 * {@code serin.leader-election.exit-on-loss=false}, when it only stops its controller and stands again; the next
 * leader starts from the cluster's state, which changes no traffic.
 */
@ApplicationScoped
public class LeaderElection {
    private static final Logger LOG = Logger.getLogger(LeaderElection.class);

    private final KubernetesClient client;
    private final Controller controller;
    private final ProcessExit exit;
    private final boolean exitOnLoss;
    private final boolean enabled;
    private final String namespace;
    private final String lease;
    private final String identity;
    private final Duration leaseDuration;
    private final Duration renewDeadline;
    private final Duration retryPeriod;
    private final Duration shutdownTimeout;
    private volatile boolean running;
    private volatile CompletableFuture<?> election;

    public LeaderElection(KubernetesClient client, Controller controller,
            @ConfigProperty(name = "serin.leader-election.enabled", defaultValue = "true") boolean enabled,
            @ConfigProperty(name = "serin.leader-election.namespace") Optional<String> namespace,
            @ConfigProperty(name = "serin.leader-election.lease", defaultValue = "serin-leader") String lease,
            @ConfigProperty(name = "serin.leader-election.identity") Optional<String> identity,
            @ConfigProperty(name = "serin.leader-election.lease-duration", defaultValue = "15s") Duration leaseDuration,
            @ConfigProperty(name = "serin.leader-election.renew-deadline", defaultValue = "10s") Duration renewDeadline,
            @ConfigProperty(name = "serin.leader-election.retry-period", defaultValue = "2s") Duration retryPeriod,
            @ConfigProperty(name = "serin.leader-election.exit-on-loss", defaultValue = "true") boolean exitOnLoss,
            ProcessExit exit, SerinConfig config) {
        this.client = client;
        this.exit = exit;
        this.exitOnLoss = exitOnLoss;
        this.controller = controller;
        this.enabled = enabled;
        this.namespace = namespace.or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
                .orElseGet(() -> Optional.ofNullable(client.getNamespace()).orElse("default"));
        this.lease = lease;
        this.identity = identity.or(() -> Optional.ofNullable(System.getenv("POD_NAME")))
                .orElseGet(() -> "serin-" + UUID.randomUUID());
        this.leaseDuration = leaseDuration;
        this.renewDeadline = renewDeadline;
        this.retryPeriod = retryPeriod;
        this.shutdownTimeout = config.shutdown().timeout();
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            controller.start();
            return;
        }
        running = true;
        campaign();
    }

    /**
     * SIGTERM, before every other shutdown observer: take no more work, let the reconciles in flight finish (for at most
     * {@code serin.shutdown.timeout}), and only then give up the lease, so no write of this replica lands after the
     * next leader may have started.
     */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        running = false;
        controller.stop(shutdownTimeout);
        CompletableFuture<?> leading = election;
        if (leading != null) {
            leading.cancel(true); // releases the lease, so the next leader need not wait it out
        }
    }

    /** Lost the lease (or gave it up at shutdown, when {@code running} is already false). */
    private void stoppedLeading() {
        if (running && exitOnLoss) {
            exit.now(1, identity + " lost the lease " + namespace + "/" + lease);
        }
        LOG.infof("%s no longer leads: stopping the controller", identity);
        controller.stop();
    }

    /** Stands for election; after losing the lease, stands again. */
    private synchronized void campaign() {
        if (!running) {
            return;
        }
        LOG.infof("standing for leader as %s (Lease %s/%s)", identity, namespace, lease);
        LeaderElector elector = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
                .withName("serin")
                .withLock(new LeaseLock(namespace, lease, identity))
                .withLeaseDuration(leaseDuration)
                .withRenewDeadline(renewDeadline)
                .withRetryPeriod(retryPeriod)
                .withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(
                        () -> {
                            LOG.infof("%s leads: starting the controller", identity);
                            controller.start();
                        },
                        this::stoppedLeading,
                        leader -> LOG.infof("leader is %s", leader)))
                .build()).build();
        election = elector.start();
        election.whenComplete((ignored, error) -> {
            if (running && !election.isCancelled()) {
                campaign();
            }
        });
    }
}
