package dev.serin.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serin's own writes of watched objects, read back in place of the cache's copy while the cache has not caught up:
 * each kind is its own watch, and a kind's events can trail the Canary's, so a pass could read a DestinationRule from
 * before Serin's write and write it again (409 on its stale resourceVersion, and again on every retry while the
 * watch trails).
 *
 * <p>No ordering of resourceVersions is assumed: the written object stands only while the cache still holds a version
 * the write replaced (nothing, for a create), or one that an earlier write of the same chain replaced (a second write
 * made on the first one's read-back). Any other version there is the write's own event or a later one.
 */
final class OwnWrites<T extends HasMetadata> {
    /** The cache's version of an object it does not hold. */
    private static final String ABSENT = "";

    /** @param behind versions the cache may still hold while the write stands; written null for a delete */
    private record Write<T>(Set<String> behind, T written) {
    }

    private final Map<String, Write<T>> writes = new ConcurrentHashMap<>();

    /** {@code replaced}: the version written over, null for a create; {@code written} null for a delete. */
    void wrote(String kind, HasMetadata object, String replaced, T written) {
        String key = key(kind, object.getMetadata().getNamespace(), object.getMetadata().getName());
        String over = replaced == null ? ABSENT : replaced;
        writes.compute(key, (k, earlier) -> {
            Set<String> behind = new HashSet<>(Set.of(over));
            if (earlier != null && over.equals(version(earlier.written()))) {
                behind.addAll(earlier.behind()); // written on the earlier write's read-back: the cache may be before both
            }
            return new Write<>(Set.copyOf(behind), written);
        });
    }

    /** What Serin knows of the object now: its own write while the cache holds a version it replaced. */
    T seen(String kind, String namespace, String name, T cached) {
        if (writes.isEmpty()) {
            return cached; // the common case: no key to build on every cached read
        }
        String key = key(kind, namespace, name);
        Write<T> write = writes.get(key);
        if (write == null) {
            return cached;
        }
        if (write.behind().contains(version(cached))) {
            return write.written();
        }
        writes.remove(key, write);
        return cached;
    }

    /**
     * The cache took an event for an object ({@code now}: what it holds after it, null after a delete): a write none of
     * whose replaced versions is left there is done.
     */
    void cached(String kind, T event, T now) {
        if (writes.isEmpty()) {
            return;
        }
        writes.computeIfPresent(key(kind, event.getMetadata().getNamespace(), event.getMetadata().getName()), (k, write) -> write.behind().contains(version(now)) ? write : null);
    }

    void clear() {
        writes.clear();
    }

    int pending() {
        return writes.size();
    }

    private static String key(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    private static String version(HasMetadata object) {
        return object == null ? ABSENT : Objects.requireNonNullElse(object.getMetadata().getResourceVersion(), ABSENT);
    }
}
