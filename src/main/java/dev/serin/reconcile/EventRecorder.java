package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.reconcile.CanaryEventBuilder.Reporter;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events on a Canary, so {@code kubectl describe canary} tells what Serin did and why, and who asked for it
 * through the REST API. As client-go's EventCorrelator: an Event with the same object, type, reason, message and
 * reporter as one already sent is not a new object; the first one's count and lastTimestamp are patched instead.
 */
@ApplicationScoped
public class EventRecorder implements CanaryMemory {
    public static final String COMPONENT = Reporter.CONTROLLER.component;
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    /** reportingInstance: this replica (the pod's name in k8s/deployment.yaml, else the host's). */
    static final String INSTANCE = java.util.Optional.ofNullable(System.getenv("POD_NAME"))
            .or(() -> java.util.Optional.ofNullable(System.getenv("HOSTNAME"))).orElse("serin");

    private final KubernetesClient client;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private static final int REMEMBERED = 4096;
    // identity of an Event sent -> its name and count; touched by the sender thread only
    private final java.util.Map<String, Sent> sent = new java.util.LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Sent> eldest) {
            return size() > REMEMBERED;
        }
    };

    private record Sent(String name, int count) {
    }
    // Events are sent off the reconcile threads: a slow API server delays them, never a weight change
    private final java.util.concurrent.ThreadPoolExecutor sender = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "serin-events");
                t.setDaemon(true);
                return t;
            }, (r, pool) -> LOG.warn("event queue full: an Event was dropped"));

    public EventRecorder(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /** True when every Event recorded so far has been sent. */
    public boolean idle() {
        return sender.getQueue().isEmpty() && sender.getActiveCount() == 0;
    }

    /** Forgets which Events were sent about the Canary: on the sender thread, the only one that touches them. */
    @Override
    public void forget(String key) {
        String prefix = key.replace('/', '\u0000') + "\u0000"; // an identity starts namespace, name, ...
        sender.execute(() -> sent.keySet().removeIf(identity -> identity.startsWith(prefix)));
    }

    @Override
    public void forgetAll() {
        sender.execute(sent::clear);
    }

    public void normal(Canary canary, String reason, String message) {
        record(Reporter.CONTROLLER, canary, "Normal", reason, null, message);
    }

    public void warning(Canary canary, String reason, String message) {
        record(Reporter.CONTROLLER, canary, "Warning", reason, null, message);
    }

    /**
     * Records an Event built by {@link CanaryEventBuilder}, the one builder of the controller's and the REST API's
     * Events, and sends it off the caller's thread; a repeat is counted on the first one.
     *
     * @param action what was done, e.g. SetWeight; null for the reporter's default
     */
    public void record(Reporter reporter, Canary canary, String type, String reason, String action, String message) {
        Instant now = clock.instant();
        Event event = CanaryEventBuilder.build(canary, reporter, INSTANCE, type, reason, action, message,
                CanaryEventBuilder.name(canary, now, sequence.incrementAndGet()), now);
        LOG.infof("%s/%s %s: %s", canary.getMetadata().getNamespace(), canary.getMetadata().getName(), reason, message);
        String identity = String.join("\u0000", canary.getMetadata().getNamespace(), canary.getMetadata().getName(),
                String.valueOf(canary.getMetadata().getUid()), type, reason, message, reporter.name());
        sender.execute(() -> send(event, identity, CanaryEventBuilder.time(now)));
    }

    private void send(Event event, String identity, String now) {
        var events = client.v1().events().inNamespace(event.getMetadata().getNamespace());
        try {
            Sent before = sent.get(identity);
            if (before != null) {
                try {
                    int count = before.count() + 1;
                    Event named = new EventBuilder().withNewMetadata().withName(before.name())
                            .withNamespace(event.getMetadata().getNamespace()).endMetadata().build();
                    events.resource(named).patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                            "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
                    sent.put(identity, new Sent(before.name(), count));
                    return;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) { // gone (Events expire): record it anew
                        throw e;
                    }
                }
            }
            events.resource(event).create();
            sent.put(identity, new Sent(event.getMetadata().getName(), 1));
        } catch (KubernetesClientException e) {
            LOG.warnf("could not record event %s on %s: %s", event.getReason(), event.getInvolvedObject().getName(),
                    e.getMessage());
        }
    }
}
