package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Phase;
import java.time.Duration;
import java.time.Instant;

/**
 * A write the API server refused for a Canary's spec (its generation), deletion state and pending request (the
 * {@code serin.dev/action} annotation, or null), and when the same Canary may be tried again regardless. Pure.
 */
record Rejection(long generation, boolean deleting, String request, String message, Instant retryAt) {

    /**
     * True while the Canary is as it was when refused and its retry is not due: a new spec, a deletion (a stop) or a
     * person's new request (an abort) is acted on at once. A pass less than {@code slack} before the retry counts as
     * the retry: the retry's timer and the clock may disagree by a hair.
     */
    boolean holds(long generation, boolean deleting, String request, Instant now, Duration slack) {
        return this.generation == generation && this.deleting == deleting
                && java.util.Objects.equals(this.request, request) && now.plus(slack).isBefore(retryAt);
    }

    /**
     * The phase a refusal leaves: Failed, except Aborted and Promoting, which decide what the next pass does (an
     * abort holds until a person resumes, and would otherwise be stepped up again once the refusal is over).
     */
    static Phase phase(Phase current) {
        return current == Phase.Aborted || current == Phase.Promoting ? current : Phase.Failed;
    }

    /** The same refusal again, not a new one. */
    boolean repeats(long generation, String message) {
        return this.generation == generation && this.message.equals(message);
    }
}
