package dev.serin.bench;

import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The benchmark API server's object store: fabric8's CRUD mock keeps objects in one map keyed by their attributes and
 * finds them by testing every key against the request's attributes. This map also files each key under its
 * resource (plural), namespace and name, and while a request runs in {@link #narrowedTo} its entrySet() holds
 * only the keys filed under that request's plural/namespace/name, so the mock's scans touch those alone. The
 * mock's own test of each key still runs on what is left, so a narrowed scan finds exactly what a full one would:
 * a key can only match a query whose plural, namespace and name it carries.
 */
final class IndexedStore extends AbstractMap<AttributeSet, String> {
    static final String PLURAL = "plural";
    static final String NAMESPACE = "namespace";
    static final String NAME = "name";
    private static final ThreadLocal<AttributeSet> QUERY = new ThreadLocal<>();

    private final Map<AttributeSet, String> all = new LinkedHashMap<>();
    /** plural -> namespace ("" for none) -> name ("" for none) -> keys. */
    private final Map<String, Map<String, Map<String, List<AttributeSet>>>> index = new HashMap<>();

    /** Runs {@code work} with this thread's scans of the store narrowed to what {@code query} can match. */
    static <T> T narrowedTo(AttributeSet query, Supplier<T> work) {
        AttributeSet before = QUERY.get();
        QUERY.set(query);
        try {
            return work.get();
        } finally {
            if (before == null) {
                QUERY.remove();
            } else {
                QUERY.set(before);
            }
        }
    }

    /** The first stored entry matching {@code query}, looked up through the index. */
    synchronized Map.Entry<AttributeSet, String> find(AttributeSet query) {
        for (AttributeSet key : candidates(query)) {
            if (key.matches(query)) {
                return new SimpleImmutableEntry<>(key, all.get(key));
            }
        }
        return null;
    }

    @Override
    public synchronized String put(AttributeSet key, String value) {
        String before = all.put(key, value);
        if (before == null) {
            index.computeIfAbsent(filed(key, PLURAL), k -> new HashMap<>())
                    .computeIfAbsent(filed(key, NAMESPACE), k -> new HashMap<>())
                    .computeIfAbsent(filed(key, NAME), k -> new ArrayList<>(1)).add(key);
        }
        return before;
    }

    @Override
    public synchronized String remove(Object o) {
        if (!(o instanceof AttributeSet key) || !all.containsKey(key)) {
            return null;
        }
        String before = all.remove(key);
        var byNamespace = index.get(filed(key, PLURAL));
        var byName = byNamespace == null ? null : byNamespace.get(filed(key, NAMESPACE));
        List<AttributeSet> keys = byName == null ? null : byName.get(filed(key, NAME));
        if (keys != null) {
            keys.remove(key);
            if (keys.isEmpty()) {
                byName.remove(filed(key, NAME));
                if (byName.isEmpty()) {
                    byNamespace.remove(filed(key, NAMESPACE));
                }
            }
        }
        return before;
    }

    @Override
    public synchronized String get(Object key) {
        return all.get(key);
    }

    @Override
    public synchronized boolean containsKey(Object key) {
        return all.containsKey(key);
    }

    @Override
    public synchronized int size() {
        return all.size();
    }

    @Override
    public synchronized void clear() {
        all.clear();
        index.clear();
    }

    @Override
    public synchronized Collection<String> values() {
        return new ArrayList<>(all.values());
    }

    /** A copy: every entry, or inside {@link #narrowedTo} only the entries filed under the query's keys. */
    @Override
    public synchronized Set<Map.Entry<AttributeSet, String>> entrySet() {
        AttributeSet query = QUERY.get();
        List<Map.Entry<AttributeSet, String>> entries = new ArrayList<>();
        for (AttributeSet key : query == null ? all.keySet() : candidates(query)) {
            entries.add(new SimpleImmutableEntry<>(key, all.get(key)));
        }
        return new AbstractSet<>() {
            @Override
            public Iterator<Map.Entry<AttributeSet, String>> iterator() {
                return entries.iterator();
            }

            @Override
            public int size() {
                return entries.size();
            }
        };
    }

    /** Keys that may match {@code query}: all of them when it names no plural. */
    private Collection<AttributeSet> candidates(AttributeSet query) {
        String plural = wanted(query, PLURAL);
        if (plural == null) {
            return new ArrayList<>(all.keySet());
        }
        List<AttributeSet> result = new ArrayList<>();
        var byNamespace = index.get(plural);
        if (byNamespace == null) {
            return result;
        }
        String namespace = wanted(query, NAMESPACE);
        String name = wanted(query, NAME);
        for (var byName : namespace == null ? byNamespace.values() : listOf(byNamespace.get(namespace))) {
            if (name == null) {
                byName.values().forEach(result::addAll);
            } else {
                result.addAll(byName.getOrDefault(name, List.of()));
            }
        }
        return result;
    }

    private static <T> List<T> listOf(T t) {
        return t == null ? List.of() : List.of(t);
    }

    /** The one value a query requires for {@code key}, or null when it does not pin it (absent, a set, a wildcard). */
    static String wanted(AttributeSet query, String key) {
        Attribute a = query.getAttribute(key);
        if (a == null || a.getType() != AttributeType.WITH || a.getValues().size() != 1) {
            return null;
        }
        String value = a.getValues().get(0).toString();
        return value == null || "*".equals(value) ? null : value;
    }

    /** Where a stored key is filed: its value for {@code key}, "" when it has none. */
    private static String filed(AttributeSet key, String attribute) {
        Attribute a = key.getAttribute(attribute);
        if (a == null || a.getValues().isEmpty()) {
            return "";
        }
        String value = a.getValues().get(0).toString();
        return value == null ? "" : value;
    }
}
