package dev.serin.strict.validation;

/** Field paths written as kube-apiserver writes them: {@code spec.steps[2]}, {@code spec.labels[app]}, {@code <nil>}. */
final class FieldPaths {
    /** The path of the object's root: the real server has none there and prints a nil path. */
    static final String ROOT = "<nil>";

    private FieldPaths() {
    }

    static String child(String path, String name) {
        return path.isEmpty() || path.equals(ROOT) ? name : path + "." + name;
    }

    static String index(String path, int index) {
        return (path.equals(ROOT) ? "" : path) + "[" + index + "]";
    }

    static String key(String path, String key) {
        return (path.equals(ROOT) ? "" : path) + "[" + key + "]";
    }

    /** A rule's fieldPath ({@code .spec.name}, {@code ['key']}, {@code .items[1]}) appended to the node's path. */
    static String append(String path, String fieldPath) {
        String rest = fieldPath.trim();
        String out = path;
        while (!rest.isEmpty()) {
            if (rest.startsWith("['") && rest.indexOf("']") > 1) {
                int end = rest.indexOf("']");
                out = key(out, rest.substring(2, end));
                rest = rest.substring(end + 2);
            } else if (rest.startsWith("[") && rest.indexOf(']') > 0) {
                int end = rest.indexOf(']');
                out = (out.equals(ROOT) ? "" : out) + rest.substring(0, end + 1);
                rest = rest.substring(end + 1);
            } else if (rest.startsWith(".")) {
                int end = 1;
                while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
                    end++;
                }
                out = child(out, rest.substring(1, end));
                rest = rest.substring(end);
            } else {
                return out + "." + rest; // not a path the real server would accept; kept readable
            }
        }
        return out;
    }
}
