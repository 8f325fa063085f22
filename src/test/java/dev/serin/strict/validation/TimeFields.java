package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The metav1.Time and metav1.MicroTime fields of the built-in kinds the strict server serves, decoded as
 * kube-apiserver decodes a request body into its Go types before anything else happens to it: each value is parsed
 * by {@link GoTime} (Time: RFC3339, any fraction; MicroTime: exactly six fractional digits), and what is stored is
 * what the real server writes back (UTC; Time in whole seconds, MicroTime with six digits). Custom resources are
 * decoded as unstructured JSON and are not checked here. Pure.
 */
public final class TimeFields {
    /** Groups whose kinds are Go types in kube-apiserver (custom resources are not). */
    public static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "coordination.k8s.io", "events.k8s.io",
            "apiextensions.k8s.io", "discovery.k8s.io");

    private enum Type {
        TIME, MICRO_TIME
    }

    /** A field by its JSON path; "[]" steps into every item of a list. */
    private record Field(List<String> path, Type type) {
        static Field time(String path) {
            return new Field(List.of(path.split("\\.")), Type.TIME);
        }

        static Field micro(String path) {
            return new Field(List.of(path.split("\\.")), Type.MICRO_TIME);
        }
    }

    private static final List<Field> OBJECT_META = List.of(Field.time("metadata.creationTimestamp"),
            Field.time("metadata.deletionTimestamp"), Field.time("metadata.managedFields.[].time"));
    private static final List<Field> CONDITIONS = List.of(Field.time("status.conditions.[].lastTransitionTime"));
    private static final List<Field> POD = List.of(Field.time("status.startTime"),
            Field.time("status.conditions.[].lastProbeTime"), Field.time("status.conditions.[].lastTransitionTime"),
            containerState("containerStatuses", "state", "running.startedAt"),
            containerState("containerStatuses", "state", "terminated.startedAt"),
            containerState("containerStatuses", "state", "terminated.finishedAt"),
            containerState("containerStatuses", "lastState", "running.startedAt"),
            containerState("containerStatuses", "lastState", "terminated.startedAt"),
            containerState("containerStatuses", "lastState", "terminated.finishedAt"),
            containerState("initContainerStatuses", "state", "running.startedAt"),
            containerState("initContainerStatuses", "state", "terminated.startedAt"),
            containerState("initContainerStatuses", "state", "terminated.finishedAt"));

    /** By group and kind: the fields besides ObjectMeta's (k8s.io/api's types, release 1.32). */
    private static final Map<String, List<Field>> BY_KIND = Map.of(
            "/Event", List.of(Field.time("firstTimestamp"), Field.time("lastTimestamp"), Field.micro("eventTime"),
                    Field.micro("series.lastObservedTime")),
            "events.k8s.io/Event", List.of(Field.time("deprecatedFirstTimestamp"),
                    Field.time("deprecatedLastTimestamp"), Field.micro("eventTime"),
                    Field.micro("series.lastObservedTime")),
            "coordination.k8s.io/Lease", List.of(Field.micro("spec.acquireTime"), Field.micro("spec.renewTime")),
            "apps/Deployment", List.of(Field.time("status.conditions.[].lastUpdateTime"),
                    Field.time("status.conditions.[].lastTransitionTime")),
            "apps/ReplicaSet", CONDITIONS,
            "/Pod", POD,
            "/Namespace", CONDITIONS,
            "/Service", CONDITIONS,
            "apiextensions.k8s.io/CustomResourceDefinition", CONDITIONS);

    /** A body the real server cannot decode; the message is the decoder's (Go's time.ParseError text). */
    public static final class Undecodable extends Exception {
        Undecodable(String message) {
            super(message);
        }
    }

    private TimeFields() {
    }

    /**
     * {@code object} as the real server would store it, or why it cannot decode it. Objects of custom resources are
     * returned unchanged.
     */
    public static JsonNode decode(String group, String kind, JsonNode object) throws Undecodable {
        if (!BUILT_IN_GROUPS.contains(group) || !object.isObject()) {
            return object;
        }
        ObjectNode copy = object.deepCopy();
        for (Field field : OBJECT_META) {
            decode(copy, field.path(), 0, field.type());
        }
        for (Field field : BY_KIND.getOrDefault(group + "/" + kind, List.of())) {
            decode(copy, field.path(), 0, field.type());
        }
        return copy;
    }

    private static void decode(JsonNode node, List<String> path, int at, Type type) throws Undecodable {
        String step = path.get(at);
        if (step.equals("[]")) {
            if (node instanceof ArrayNode items) {
                for (JsonNode item : items) {
                    decode(item, path, at + 1, type);
                }
            }
            return;
        }
        if (!(node instanceof ObjectNode object) || !object.has(step)) {
            return;
        }
        JsonNode value = object.get(step);
        if (at + 1 < path.size()) {
            decode(value, path, at + 1, type);
            return;
        }
        if (value.isNull()) {
            return; // "null" is the zero time
        }
        if (!value.isTextual()) {
            throw new Undecodable("json: cannot unmarshal " + jsonType(value) + " into Go value of type string");
        }
        String layout = type == Type.TIME ? GoTime.RFC3339 : GoTime.RFC3339_MICRO;
        try {
            Instant instant = GoTime.parse(layout, value.asText());
            object.set(step, TextNode.valueOf(type == Type.TIME ? GoTime.formatTime(instant)
                    : GoTime.formatMicroTime(instant)));
        } catch (GoTime.ParseError e) {
            throw new Undecodable(e.getMessage());
        }
    }

    private static Field containerState(String list, String state, String field) {
        return Field.time("status." + list + ".[]." + state + "." + field);
    }

    /** Go's name of a JSON value's type in an UnmarshalTypeError (the wording around it is approximate). */
    private static String jsonType(JsonNode value) {
        return value.getNodeType() == JsonNodeType.BOOLEAN ? "bool" : value.getNodeType().name().toLowerCase();
    }
}
