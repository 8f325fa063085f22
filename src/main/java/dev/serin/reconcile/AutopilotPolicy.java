package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import java.util.Optional;

/**
 * The autopilot as a Canary's reconcile consults it (implemented in {@code dev.serin.autopilot}, which depends on this
 * package and not the other way round). It decides on the Canary as the reconcile has it, and every write it makes
 * carries the resourceVersion it decided on: one writer per Canary, and a 409 re-decides from fresh state.
 */
public interface AutopilotPolicy {
    /** Why the Canary's {@code spec.autopilot} cannot be followed as written; empty when it can, or there is none. */
    Optional<Invalid> refusal(Canary canary);

    /** Carries out a person's request ({@code serin.dev/action}) when there is one; true when the pass ends here. */
    boolean handleRequest(Canary canary);

    /** The autopilot's next move; true when it wrote the Canary (the write's watch event brings the next pass). */
    boolean step(Canary canary);
}
