package dev.serin.strict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.strict.rbac.Identity;
import dev.serin.strict.rbac.RequestAttributes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Races a test arms for one write: on a real cluster another writer can change an object between a controller's read
 * and its write (409). A test chooses which write meets that race; the store is left as it is, as the writer whose
 * resourceVersion lost would find it.
 */
public final class Faults {
    /** A write as the server receives it: who sends it, what it asks, and its body (a patch for a PATCH). */
    public record Write(Identity who, RequestAttributes request, JsonNode body) {
        public boolean bySerin() {
            return Identity.SERIN.equals(who);
        }

        /** {@code verb} on {@code resource}[/{@code subresource}] {@code name}, e.g. update canaries/status api. */
        public boolean is(String verb, String resource, String subresource, String name) {
            return verb.equals(request.verb()) && resource.equals(request.resource())
                    && Objects.equals(subresource, request.subresource())
                    && name.equals(request.name());
        }
    }

    private record Armed(Predicate<Write> matches, AtomicBoolean fired) {
    }

    private final List<Armed> conflicts = new CopyOnWriteArrayList<>();

    /** The next write that {@code which} matches is answered 409 Conflict, once. */
    public void conflictOnce(Predicate<Write> which) {
        conflicts.add(new Armed(which, new AtomicBoolean()));
    }

    /** True when every armed fault has been answered. */
    public boolean allFired() {
        return conflicts.stream().allMatch(a -> a.fired().get());
    }

    /** Throws the armed refusal when this write is the one a test chose. */
    void check(Identity who, RequestAttributes request, ApiCatalog.Served served, byte[] body) {
        if (conflicts.isEmpty()) {
            return;
        }
        Write write = new Write(who, request, body == null || body.length == 0 ? null
                : Store.parse(new String(body, StandardCharsets.UTF_8)));
        for (Armed armed : conflicts) {
            if (!armed.fired().get() && armed.matches().test(write) && armed.fired().compareAndSet(false, true)) {
                throw KubeStatus.conflict(served.group(), served.plural(), request.name());
            }
        }
    }
}
