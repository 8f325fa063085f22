package dev.serin.strict.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.path.NodePath;

/**
 * Validation ratcheting (on by default in kube-apiserver 1.30+): on update, an error on a value that is unchanged
 * from the old object is dropped, so objects stored before a schema was tightened can still be written. Values
 * correlate through properties and map keys only; a path through a list index never does.
 */
final class Ratcheting {
    private Ratcheting() {
    }

    static boolean unchanged(NodePath location, JsonNode object, JsonNode old) {
        if (old == null) {
            return false;
        }
        JsonNode now = object;
        JsonNode before = old;
        for (int i = 0; i < location.getNameCount(); i++) {
            if (!(location.getElement(i) instanceof String name)) {
                return false;
            }
            now = now.path(name);
            before = before.path(name);
        }
        return !now.isMissingNode() && now.equals(before);
    }
}
