package dev.serin.leader;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Leader election on, as replica serin-a in serin-system, with a short lease so a test can watch it change hands
 * ({@link LeaderElectionTest}) and a short shutdown timeout with the {@link StatusWriteGate} to hold a reconcile in
 * flight ({@link ShutdownOrderTest}). One profile for both, so they share one application; the gate is inert until
 * a test holds it.
 */
public class LeaderElectionProfile implements QuarkusTestProfile {
    static final String NS = "serin-system";
    static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(3);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("serin.leader-election.enabled", "true",
                "serin.leader-election.namespace", NS,
                "serin.leader-election.identity", "serin-a",
                "serin.leader-election.lease-duration", "2s",
                "serin.leader-election.renew-deadline", "1500ms",
                "serin.leader-election.retry-period", "200ms",
                "serin.shutdown.timeout", SHUTDOWN_TIMEOUT.toMillis() + "ms");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(StatusWriteGate.class);
    }
}
