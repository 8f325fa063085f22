package dev.serin.traffic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The destinations each route had before a Canary split it (its original), as a router records them on the routing
 * object, and which original belongs to which route now that others may have inserted, removed or reordered routes.
 * Mesh-neutral and pure: a route is a kind (Istio's http, tls, tcp), a position, a name, a match and destinations.
 *
 * <p>A route is known by its name where it has one no other route of its kind shares: recorded under
 * {@code "http/main"}. An unnamed route is known by its content: recorded under {@code "http[2]"} (its position then,
 * used only to tell apart records that fit equally) with its {@code match}; a split route fits such a record when its
 * match is the recorded one and its destinations are what a split of the recorded original gives (weights aside).
 * Records an older Serin wrote by position ({@code "http/2": [destinations]}) are matched by their destinations alone,
 * and rewritten in this form on the next write. So a route that moved is followed, and a split route no record fits
 * is unmatched: it is never given another route's destinations.
 */
public final class RouteRecords {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern UNNAMED_KEY = Pattern.compile("([^/\\[]+)\\[(\\d{1,9})]");
    private static final Pattern OLDER_KEY = Pattern.compile("([^/\\[]+)/(\\d{1,9})");
    /** Equal as JSON values, numbers by value: a port read back as 80.0 is the port recorded as 80. */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> a.isNumber() && b.isNumber()
            ? Double.compare(a.doubleValue(), b.doubleValue()) : a.equals(b) ? 0 : 1;

    private RouteRecords() {
    }

    /**
     * One route to the host as it is now.
     *
     * @param name  null when it has none, or shares it with another route of its kind ({@link #withDistinctNames})
     * @param match its match conditions; missing when it has none
     * @param split it carries a split already, so its original is in a record
     */
    public record Route(String kind, int index, String name, JsonNode match, JsonNode destinations, boolean split) {
        public Route {
            match = match == null || match.isNull() ? MissingNode.getInstance() : match;
        }

        /** Where its original is recorded: by name, else by position. */
        public String key() {
            return name != null ? kind + "/" + name : kind + "[" + index + "]";
        }
    }

    /**
     * A recorded original.
     *
     * @param name  null for a route recorded without a name
     * @param index its position when recorded; -1 for a named one
     * @param match its match when recorded; null when not recorded (an older Serin's record)
     */
    public record Original(String kind, String name, int index, JsonNode match, JsonNode destinations) {
        String key() {
            return name != null ? kind + "/" + name : match == null ? kind + "/" + index : kind + "[" + index + "]";
        }

        JsonNode value() {
            if (match == null) {
                return destinations.deepCopy(); // as the older Serin wrote it
            }
            ObjectNode value = NODES.objectNode();
            value.set("destinations", destinations.deepCopy());
            if (!match.isMissingNode()) {
                value.set("match", match.deepCopy());
            }
            return value;
        }
    }

    /** Whether a split route's destinations are what some split of {@code original} gives, weights aside. */
    public interface Fit {
        boolean fits(JsonNode original, JsonNode destinations);
    }

    /**
     * The original of each split route that has one, the split routes none fits, and the records no route took (kept:
     * a route put back as it was is followed again, and a stop still finds the Canary's mark).
     */
    public record Matching(Map<Route, JsonNode> originals, List<Route> unmatched, List<Original> unclaimed) {
    }

    /** The routes, with a name two routes of one kind share dropped: such routes are known by their content. */
    public static List<Route> withDistinctNames(List<Route> routes) {
        Map<String, Integer> uses = new HashMap<>();
        routes.stream().filter(r -> r.name() != null).forEach(r -> uses.merge(r.key(), 1, Integer::sum));
        return routes.stream().map(r -> r.name() == null || uses.get(r.key()) == 1 ? r
                : new Route(r.kind(), r.index(), null, r.match(), r.destinations(), r.split())).toList();
    }

    /** The originals recorded in one Canary's entry (null: none); what cannot be read is skipped. */
    public static List<Original> read(JsonNode entry) {
        List<Original> originals = new ArrayList<>();
        if (entry == null || !entry.isObject()) {
            return originals;
        }
        entry.fields().forEachRemaining(field -> {
            String key = field.getKey();
            JsonNode value = field.getValue();
            JsonNode destinations = value.path("destinations");
            JsonNode match = value.has("match") ? value.get("match") : MissingNode.getInstance();
            Matcher unnamed = UNNAMED_KEY.matcher(key);
            Matcher byPosition = OLDER_KEY.matcher(key);
            int slash = key.indexOf('/');
            if (value.isArray() && byPosition.matches()) {
                originals.add(new Original(byPosition.group(1), null, Integer.parseInt(byPosition.group(2)), null, value));
            } else if (destinations.isArray() && unnamed.matches()) {
                originals.add(new Original(unnamed.group(1), null, Integer.parseInt(unnamed.group(2)), match,
                        destinations));
            } else if (destinations.isArray() && slash > 0) {
                originals.add(new Original(key.substring(0, slash), key.substring(slash + 1), -1, match, destinations));
            }
        });
        return originals;
    }

    /**
     * One Canary's entry recording each route's original under the route's key, with its match, and beside them the
     * records no route took, as they were (unless a route's key is theirs now).
     */
    public static ObjectNode write(Map<Route, JsonNode> originals, List<Original> unclaimed) {
        ObjectNode entry = NODES.objectNode();
        originals.forEach((route, destinations) -> {
            ObjectNode value = entry.putObject(route.key());
            value.set("destinations", destinations.deepCopy());
            if (!route.match().isMissingNode()) {
                value.set("match", route.match().deepCopy());
            }
        });
        unclaimed.stream().filter(o -> !entry.has(o.key())).forEach(o -> entry.set(o.key(), o.value()));
        return entry;
    }

    /**
     * Which recorded original each split route has: first by name, then by content (kind, match where recorded, and
     * destinations that {@code fit} the original), preferring the record made at the route's own position; when
     * several different originals fit equally, none is guessed. Each original goes to one route at most.
     */
    public static Matching match(List<Route> routes, List<Original> recorded, Fit fit) {
        Map<Route, JsonNode> found = new LinkedHashMap<>();
        List<Original> left = new ArrayList<>(recorded);
        for (Route route : routes) {
            if (route.split() && route.name() != null) {
                left.stream().filter(o -> route.name().equals(o.name()) && route.kind().equals(o.kind())).findFirst()
                        .ifPresent(o -> {
                            found.put(route, o.destinations());
                            left.remove(o);
                        });
            }
        }
        List<Route> unmatched = new ArrayList<>();
        for (Route route : routes) {
            if (!route.split() || found.containsKey(route)) {
                continue;
            }
            List<Original> fitting = left.stream().filter(o -> o.kind().equals(route.kind())
                    && (o.match() == null || same(o.match(), route.match()))
                    && fit.fits(o.destinations(), route.destinations())).toList();
            List<Original> here = fitting.stream().filter(o -> o.name() == null && o.index() == route.index()).toList();
            boolean alike = !fitting.isEmpty()
                    && fitting.stream().allMatch(o -> same(o.destinations(), fitting.get(0).destinations()));
            Original pick = here.size() == 1 ? here.get(0) : alike ? fitting.get(0) : null;
            if (pick == null) {
                unmatched.add(route);
            } else {
                found.put(route, pick.destinations());
                left.remove(pick);
            }
        }
        return new Matching(found, unmatched, left);
    }

    /** Equal as JSON values, numbers compared by value. */
    public static boolean same(JsonNode a, JsonNode b) {
        return a.equals(NUMBERS_BY_VALUE, b);
    }
}
