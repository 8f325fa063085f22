package dev.serin.leader;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.ObservedShare;
import dev.serin.reconcile.ObservedShareSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.concurrent.CountDownLatch;

/**
 * Stands in for the observed-share source where a test profile enables it: the reconcile asks it while it builds a
 * Canary's status, after it wrote the routes and before it writes the status, so it can hold one Canary's reconcile
 * in flight there until the test lets it go. It measures nothing.
 */
@Alternative
@ApplicationScoped
public class StatusWriteGate implements ObservedShareSource {
    private volatile String held;
    private volatile double weight;
    private volatile boolean waiting;
    private volatile CountDownLatch open = new CountDownLatch(0);

    /** The next reconcile of the Canary {@code name} that works towards {@code weight} stops before its status write. */
    public void hold(String name, double weight) {
        open = new CountDownLatch(1);
        this.weight = weight;
        held = name;
    }

    /** True while a reconcile waits here. */
    public boolean waiting() {
        return waiting;
    }

    public void release() {
        held = null;
        open.countDown();
    }

    @Override
    public ObservedShare merge(Canary canary, CanaryStatus status) {
        if (canary.getMetadata().getName().equals(held) && canary.getSpec().weight == weight) {
            waiting = true;
            try {
                open.await();
            } catch (InterruptedException e) { // as an API call of the reconcile would: it ends there
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held before the status write", e);
            } finally {
                waiting = false;
            }
        }
        return status.observed;
    }
}
