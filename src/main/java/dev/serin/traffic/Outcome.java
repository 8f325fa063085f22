package dev.serin.traffic;

import java.util.Optional;
import java.util.function.Function;

/**
 * A value, or the {@link Refusal} that stands in for it: errors retrying cannot fix travel as values to the reconcile,
 * which reports them, instead of as exceptions a work queue would retry in silence.
 */
public record Outcome<T>(T value, Refusal refusal) {
    public Outcome {
        if ((value == null) == (refusal == null)) {
            throw new IllegalArgumentException("an outcome is a value or a refusal");
        }
    }

    public static <T> Outcome<T> of(T value) {
        return new Outcome<>(value, null);
    }

    public static <T> Outcome<T> refused(String reason, String message) {
        return new Outcome<>(null, new Refusal(reason, message));
    }

    public boolean refused() {
        return refusal != null;
    }

    public Optional<Refusal> refusalIfAny() {
        return Optional.ofNullable(refusal);
    }

    /** The next step on the value; a refusal stays what it was. */
    public <U> Outcome<U> then(Function<? super T, Outcome<U>> next) {
        return refused() ? new Outcome<>(null, refusal) : next.apply(value);
    }

    public <U> Outcome<U> map(Function<? super T, ? extends U> f) {
        return refused() ? new Outcome<>(null, refusal) : Outcome.of(f.apply(value));
    }

    /** The value, for callers that know there can be no refusal (a test, or a split that scales nothing). */
    public T orElseThrow() {
        if (refused()) {
            throw new IllegalStateException(refusal.reason() + ": " + refusal.message());
        }
        return value;
    }
}
