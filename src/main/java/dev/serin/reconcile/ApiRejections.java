package dev.serin.reconcile;

import static dev.serin.api.v1alpha1.ConditionTypes.TRAFFIC_APPLIED;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.config.SerinConfig;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Writes the API server refused in a way retrying cannot fix ({@link ApiErrors.Retry#WHEN_CHANGED}): the Canary
 * fails with the server's message and one Warning Event per distinct refusal, and is left alone until its spec
 * changes, it is deleted, a person asks something of it (serin.dev/action: an abort is never held back), or the
 * longest back-off has passed (a permission may have been granted meanwhile).
 * Handling a refusal writes only the Canary's status and an Event, nothing that serves traffic.
 */
@ApplicationScoped
public class ApiRejections implements CanaryMemory {
    public static final String REASON = "ApiRejected";
    private static final Logger LOG = Logger.getLogger(ApiRejections.class);

    private final StatusWriter status;
    private final EventRecorder events;
    private final Clock clock;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Map<String, Rejection> standing = new ConcurrentHashMap<>();

    @Inject
    public ApiRejections(StatusWriter status, EventRecorder events, Clock clock, SerinConfig config) {
        this(status, events, clock, config.reconcile().minBackoff(), config.reconcile().maxBackoff());
    }

    /** With back-offs of its own (tests that need others than the shared test configuration's). */
    ApiRejections(StatusWriter status, EventRecorder events, Clock clock, Duration minBackoff, Duration maxBackoff) {
        this.status = status;
        this.events = events;
        this.clock = clock;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** True when the Canary was refused as it is now and its retry is not due yet (the retry is queued). */
    public boolean holding(Canary canary) {
        Rejection rejection = standing.get(CanaryKeys.of(canary));
        return rejection != null && rejection.holds(generation(canary), deleting(canary), request(canary),
                clock.instant(), minBackoff);
    }

    /** Records a refusal on the Canary; the caller queues its retry at the longest back-off. */
    public void refused(Canary canary, KubernetesClientException e) {
        Duration retry = maxBackoff;
        long generation = generation(canary);
        String message = ApiErrors.message(e);
        Rejection previous = standing.put(CanaryKeys.of(canary),
                new Rejection(generation, deleting(canary), request(canary), message, clock.instant().plus(retry)));
        boolean repeat = previous != null && previous.repeats(generation, message);
        try {
            CanaryStatus before = status.write(canary, s -> {
                s.phase = Rejection.phase(s.phase);
                Conditions.set(s.conditions, Conditions.of(TRAFFIC_APPLIED, false, REASON, message));
            }).before();
            repeat |= saidSo(before, generation, message); // after a restart, the status remembers
        } catch (KubernetesClientException statusRefused) {
            LOG.warnf("could not record the refusal in the status of %s: %s", CanaryKeys.of(canary),
                    ApiErrors.message(statusRefused));
        }
        if (!repeat) {
            events.warning(canary, REASON, "the API server refused a write (" + e.getCode() + "): " + message
                    + "; Serin tries again when the spec changes, or in " + format(retry));
        }
    }

    @Override
    public void forget(String key) {
        standing.remove(key);
    }

    @Override
    public void forgetAll() {
        standing.clear();
    }

    private static boolean saidSo(CanaryStatus status, long generation, String message) {
        Condition c = Conditions.find(status.conditions, TRAFFIC_APPLIED);
        return c != null && "False".equals(c.getStatus()) && REASON.equals(c.getReason())
                && message.equals(c.getMessage()) && Long.valueOf(generation).equals(c.getObservedGeneration());
    }

    private static long generation(Canary canary) {
        Long generation = canary.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }

    private static String request(Canary canary) {
        var annotations = canary.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Canary.ACTION_ANNOTATION);
    }

    private static boolean deleting(Canary canary) {
        return canary.getMetadata().getDeletionTimestamp() != null;
    }

    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
