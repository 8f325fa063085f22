package dev.serin.api.v1alpha1;

/** Lifecycle of a Canary. Paused, Promoting, Succeeded and Aborted belong to the autopilot. */
public enum Phase {
    Initializing, Progressing, Paused, Promoting, Succeeded, Aborted, Failed, Terminating
}
