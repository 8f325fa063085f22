package dev.serin.rest;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.reconcile.CanaryEventBuilder.Reporter;
import dev.serin.reconcile.EventRecorder;
import dev.serin.rest.auth.Caller;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records a core/v1 Event on a Canary for a change the REST API accepted, naming the caller, so
 * {@code kubectl describe canary} shows who did it. Built and sent as the controller's Events are
 * ({@link EventRecorder}: one builder, repeats counted), reported by serin.dev/api.
 */
@ApplicationScoped
public class CanaryEvents {
    private final EventRecorder recorder;

    public CanaryEvents(EventRecorder recorder) {
        this.recorder = recorder;
    }

    /**
     * @param caller  who asked (the message names them)
     * @param reason  CamelCase reason, e.g. WeightSet
     * @param action  what was done, e.g. SetWeight
     * @param message the whole message; should name the caller
     */
    public void record(Canary canary, Caller caller, String reason, String action, String message) {
        recorder.record(Reporter.API, canary, "Normal", reason, action, message);
    }
}
