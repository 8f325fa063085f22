package dev.serin.autopilot.analysis;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs one check's queries against one source and stops asking it once it was found unreachable: the first such
 * failure answers every later query, so a source that is down costs one timeout per check, not one per query. A
 * query that throws or gives nothing becomes a failure, never an exception.
 */
final class StopWhenUnreachable<R> {
    private final Function<String, R> delegate;
    private final Function<String, R> failed;
    private final Predicate<R> unreachable;
    private R down;

    /** {@code failed} makes a reachable-source failure from its message; {@code unreachable} tells one that is not. */
    StopWhenUnreachable(Function<String, R> delegate, Function<String, R> failed, Predicate<R> unreachable) {
        this.delegate = delegate;
        this.failed = failed;
        this.unreachable = unreachable;
    }

    R run(String query) {
        if (down != null) {
            return down;
        }
        R r;
        try {
            r = delegate.apply(query);
        } catch (RuntimeException e) {
            r = failed.apply("query failed: " + e);
        }
        if (r == null) {
            r = failed.apply("query gave no result");
        }
        if (unreachable.test(r)) {
            down = r;
        }
        return r;
    }

    /** The failure that found the source unreachable, if one did. */
    java.util.Optional<R> down() {
        return java.util.Optional.ofNullable(down);
    }
}
