package dev.serin.playground;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The two patch formats fabric8's mock server does not apply the way the real API server does, applied to a whole
 * object so the result can be handed to the mock as a JSON Patch (RFC 6902), which it does apply faithfully.
 *
 * <ul>
 * <li>JSON merge patch (RFC 7396, {@code kubectl patch --type merge}, {@code kubectl apply} on custom resources):
 * the mock merges with Jackson's updating reader, which appends to arrays and keeps {@code null}s instead of
 * removing fields.</li>
 * <li>Strategic merge patch ({@code kubectl apply} and {@code kubectl patch} on built-in kinds): the mock answers 415.
 * Here a useful subset: lists of objects merge by the merge key the Kubernetes types declare for the lists a
 * Deployment, Service, Pod or ConfigMap carries (containers/env/volumes by name, ports by containerPort or port,
 * volumeMounts by mountPath, conditions by type, ownerReferences by uid); finalizers merge as a set; every other
 * list is replaced. Directives {@code $patch: replace|delete}, {@code $setElementOrder/<list>},
 * {@code $deleteFromPrimitiveList/<list>} and {@code $retainKeys} are honoured.</li>
 * </ul>
 */
public final class Patches {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String SET_ORDER = "$setElementOrder/";
    private static final String DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String PATCH = "$patch";

    /** List field → merge key, as the Kubernetes types declare them (patchMergeKey). */
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"),
            Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"),
            Map.entry("env", "name"),
            Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"),
            Map.entry("volumeDevices", "devicePath"),
            Map.entry("imagePullSecrets", "name"),
            Map.entry("hostAliases", "ip"),
            Map.entry("conditions", "type"),
            Map.entry("ownerReferences", "uid"),
            Map.entry("resourceClaims", "name"),
            Map.entry("topologySpreadConstraints", "topologyKey"));
    /** Lists of strings with patchStrategy merge. */
    private static final Set<String> PRIMITIVE_MERGE = Set.of("finalizers");

    private Patches() {
    }

    /** RFC 7396: objects merge recursively, {@code null} removes, anything else (arrays too) replaces. */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    /** A strategic merge patch applied to {@code target} (see the class comment for what is supported). */
    public static JsonNode strategicMergePatch(JsonNode target, JsonNode patch) {
        JsonNode merged = strategicObject(target, patch);
        return merged == null ? NODES.objectNode() : merged;
    }

    /** Returns null when the patch deletes the object ({@code $patch: delete}). */
    private static JsonNode strategicObject(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        String directive = patch.path(PATCH).asText("");
        if ("delete".equals(directive)) {
            return null;
        }
        if ("replace".equals(directive)) {
            return stripDirectives(patch);
        }
        ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : NODES.objectNode();
        List<String> orders = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.equals(PATCH) || key.equals(RETAIN_KEYS)) {
                continue;
            }
            if (key.startsWith(SET_ORDER)) {
                orders.add(key);
                continue;
            }
            if (key.startsWith(DELETE_PRIMITIVE)) {
                String field = key.substring(DELETE_PRIMITIVE.length());
                if (result.get(field) instanceof ArrayNode list) {
                    Set<JsonNode> gone = new HashSet<>();
                    value.forEach(gone::add);
                    for (int i = list.size() - 1; i >= 0; i--) {
                        if (gone.contains(list.get(i))) {
                            list.remove(i);
                        }
                    }
                }
                continue;
            }
            if (value.isNull()) {
                result.remove(key);
            } else if (value.isObject()) {
                JsonNode merged = strategicObject(result.get(key), value);
                if (merged == null) {
                    result.remove(key);
                } else {
                    result.set(key, merged);
                }
            } else if (value.isArray()) {
                result.set(key, strategicList(key, result.get(key), (ArrayNode) value));
            } else {
                result.set(key, value.deepCopy());
            }
        }
        for (String order : orders) {
            String field = order.substring(SET_ORDER.length());
            if (result.get(field) instanceof ArrayNode list) {
                result.set(field, reorder(field, list, (ArrayNode) patch.get(order)));
            }
        }
        if (patch.get(RETAIN_KEYS) instanceof ArrayNode retain) {
            Set<String> keep = new HashSet<>();
            retain.forEach(k -> keep.add(k.asText()));
            List<String> names = new ArrayList<>();
            result.fieldNames().forEachRemaining(names::add);
            names.stream().filter(n -> !keep.contains(n)).forEach(result::remove);
        }
        return result;
    }

    private static JsonNode strategicList(String field, JsonNode current, ArrayNode patch) {
        ArrayNode base = current instanceof ArrayNode a ? a.deepCopy() : NODES.arrayNode();
        boolean replace = false;
        ArrayNode items = NODES.arrayNode();
        for (JsonNode item : patch) {
            if (item.isObject() && item.size() == 1 && "replace".equals(item.path(PATCH).asText(""))) {
                replace = true;
            } else {
                items.add(item);
            }
        }
        if (replace) {
            ArrayNode result = NODES.arrayNode();
            items.forEach(i -> result.add(stripDirectives(i)));
            return result;
        }
        if (PRIMITIVE_MERGE.contains(field)) {
            for (JsonNode item : items) {
                if (!contains(base, item)) {
                    base.add(item.deepCopy());
                }
            }
            return base;
        }
        String key = mergeKey(field, items);
        if (key == null) {
            ArrayNode result = NODES.arrayNode();
            items.forEach(i -> result.add(stripDirectives(i)));
            return result;
        }
        for (JsonNode item : items) {
            int at = indexOf(base, key, item.get(key));
            if ("delete".equals(item.path(PATCH).asText(""))) {
                if (at >= 0) {
                    base.remove(at);
                }
            } else if (at >= 0) {
                JsonNode merged = strategicObject(base.get(at), item);
                if (merged == null) {
                    base.remove(at);
                } else {
                    base.set(at, merged);
                }
            } else {
                base.add(stripDirectives(item));
            }
        }
        return base;
    }

    private static String mergeKey(String field, ArrayNode items) {
        boolean objects = items.size() > 0;
        for (JsonNode i : items) {
            objects &= i.isObject();
        }
        if (!objects) {
            return null;
        }
        if ("ports".equals(field)) {
            for (JsonNode i : items) {
                if (i.has("containerPort")) {
                    return "containerPort";
                }
            }
            return "port";
        }
        String key = MERGE_KEYS.get(field);
        if (key == null) {
            return null;
        }
        for (JsonNode i : items) {
            if (!i.has(key)) {
                return null;
            }
        }
        return key;
    }

    /** Puts the listed elements first, in the listed order; the rest keep their order after them. */
    private static ArrayNode reorder(String field, ArrayNode list, ArrayNode order) {
        ArrayNode result = NODES.arrayNode();
        String key = mergeKey(field, order);
        List<JsonNode> rest = new ArrayList<>();
        list.forEach(rest::add);
        for (JsonNode wanted : order) {
            for (Iterator<JsonNode> it = rest.iterator(); it.hasNext();) {
                JsonNode item = it.next();
                boolean same = key == null ? item.equals(wanted) : item.path(key).equals(wanted.path(key));
                if (same) {
                    result.add(item);
                    it.remove();
                    break;
                }
            }
        }
        rest.forEach(result::add);
        return result;
    }

    private static int indexOf(ArrayNode list, String key, JsonNode value) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).path(key).equals(value)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean contains(ArrayNode list, JsonNode value) {
        for (JsonNode v : list) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode stripDirectives(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().startsWith("$")) {
                    copy.set(e.getKey(), stripDirectives(e.getValue()));
                }
            });
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(i -> copy.add(stripDirectives(i)));
            return copy;
        }
        return node.deepCopy();
    }
}
