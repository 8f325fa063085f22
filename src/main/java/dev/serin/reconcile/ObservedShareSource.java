package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.ObservedShare;

/**
 * Where the reconcile takes {@code status.observed} from: measured elsewhere, off the reconcile threads
 * ({@code dev.serin.observed}), so that reconcile imports nothing from the measuring side.
 */
public interface ObservedShareSource {
    /**
     * What to write into status.observed, given the status about to be written (its weight and weightChangedAt already
     * set): the observed object that is there when nothing is worth a write.
     */
    ObservedShare merge(Canary canary, CanaryStatus status);
}
