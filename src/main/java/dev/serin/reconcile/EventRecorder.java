package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Kubernetes Events on a Canary, so {@code kubectl describe canary} tells what Serin did and why. As client-go's
 * EventCorrelator: an Event with the same object, type, reason and message as one already sent is not a new object;
 * the first one's count and lastTimestamp are patched instead.
 */
@ApplicationScoped
public class EventRecorder implements CanaryMemory {
    public static final String COMPONENT = "serin";
    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

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
        record(canary, "Normal", reason, message);
    }

    public void warning(Canary canary, String reason, String message) {
        record(canary, "Warning", reason, message);
    }

    private void record(Canary canary, String type, String reason, String message) {
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        String name = canary.getMetadata().getName() + "." + Long.toHexString(clock.millis())
                + Long.toHexString(sequence.incrementAndGet());
        Event event = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(canary.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(canary.getApiVersion()).withKind(canary.getKind())
                .withName(canary.getMetadata().getName()).withNamespace(canary.getMetadata().getNamespace())
                .withUid(canary.getMetadata().getUid())
                .endInvolvedObject()
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .build();
        LOG.infof("%s/%s %s: %s", canary.getMetadata().getNamespace(), canary.getMetadata().getName(), reason, message);
        String identity = String.join("\u0000", canary.getMetadata().getNamespace(), canary.getMetadata().getName(),
                String.valueOf(canary.getMetadata().getUid()), type, reason, message);
        sender.execute(() -> send(event, identity, now));
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
