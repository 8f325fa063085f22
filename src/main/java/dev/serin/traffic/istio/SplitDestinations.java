package dev.serin.traffic.istio;

import dev.serin.traffic.JsonAnnotations;
import static dev.serin.traffic.istio.SubsetNames.CANARY;
import static dev.serin.traffic.istio.SubsetNames.STABLE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.traffic.Outcome;
import dev.serin.traffic.Refusal;
import dev.serin.traffic.RouteRecords;
import dev.serin.traffic.Split;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Pure functions over the {@code route} array of one route: which destinations send to the host, the split Serin
 * wrote there, and the destinations a split gives. Destinations to other hosts ("third destinations") keep their
 * place and their share of the route; only the host's share is divided between the stable and canary subsets.
 */
final class SplitDestinations {
    private SplitDestinations() {
    }

    static boolean isHost(JsonNode d, String host, String namespace) {
        return HostName.same(d.path("destination").path("host").asText(null), host, namespace);
    }

    /** True when the route sends some of its traffic to the host (a lone destination carries all of it). */
    static boolean sendsTo(JsonNode destinations, String host, String namespace) {
        if (!destinations.isArray()) {
            return false;
        }
        for (JsonNode d : destinations) {
            if (isHost(d, host, namespace) && (destinations.size() == 1 || weight(d) > 0)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ratio of a route that Serin split: its destinations to the host are the stable and canary subsets only,
     * each at most once; destinations to other hosts may sit beside them.
     */
    static Optional<Split> serinSplit(JsonNode destinations, String host, String namespace) {
        if (!destinations.isArray() || destinations.isEmpty()) {
            return Optional.empty();
        }
        Integer stable = null;
        Integer canary = null;
        for (JsonNode d : destinations) {
            if (!isHost(d, host, namespace)) {
                continue;
            }
            int weight = destinations.size() == 1 ? 1 : weight(d);
            String subset = d.path("destination").path("subset").asText("");
            if (STABLE.equals(subset) && stable == null) {
                stable = weight;
            } else if (CANARY.equals(subset) && canary == null) {
                canary = weight;
            } else {
                return Optional.empty();
            }
        }
        int s = stable == null ? 0 : stable;
        int c = canary == null ? 0 : canary;
        return s < 0 || c < 0 || s + c == 0 ? Optional.empty() : Optional.of(new Split(s, c));
    }

    /**
     * The destinations {@code split} gives a route whose original destinations were {@code original}. Alone, the host
     * gets the split's own weights (a zero side left out, a lone side without weight). Beside other destinations,
     * the host's destinations (their weights summed: several subsets of the host become one share) are replaced,
     * at the first one's place, by stable and canary weights that sum to that share with canary / (stable + canary)
     * exactly the split's ratio; when the share does not divide, every weight in the route is multiplied by the
     * smallest factor that makes it divide, so each other destination keeps its share of the route exactly. Refused
     * ({@link Refusal#ROUTE_WEIGHTS_OVERFLOW}) when a weight so multiplied would pass Istio's int32.
     */
    static Outcome<ArrayNode> split(JsonNode original, String host, String namespace, Split split) {
        ObjectNode template = null;
        long share = 0;
        long largestOther = 0;
        boolean others = false;
        for (JsonNode d : original) {
            if (isHost(d, host, namespace)) {
                if (template == null) {
                    template = ((ObjectNode) d).deepCopy();
                    template.remove("weight");
                }
                share += weight(d);
            } else {
                others = true;
                largestOther = Math.max(largestOther, weight(d));
            }
        }
        ArrayNode result = JsonAnnotations.JSON.createArrayNode();
        if (!others) {
            boolean both = split.stable() > 0 && split.canary() > 0;
            if (split.stable() > 0) {
                result.add(destination(template, STABLE, both ? Long.valueOf(split.stable()) : null));
            }
            if (split.canary() > 0) {
                result.add(destination(template, CANARY, both ? Long.valueOf(split.canary()) : null));
            }
            return Outcome.of(result);
        }
        // exact in BigInteger: a split read back from a route may be large on both sides
        BigInteger total = BigInteger.valueOf(split.stable()).add(BigInteger.valueOf(split.canary()));
        BigInteger hostShare = BigInteger.valueOf(share);
        BigInteger factor = total.divide(hostShare.multiply(BigInteger.valueOf(split.canary())).gcd(total));
        BigInteger canary = hostShare.multiply(factor).multiply(BigInteger.valueOf(split.canary())).divide(total);
        BigInteger stable = hostShare.multiply(factor).subtract(canary);
        BigInteger largest = stable.max(canary).max(BigInteger.valueOf(largestOther).multiply(factor));
        if (largest.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
            return Outcome.refused(Refusal.ROUTE_WEIGHTS_OVERFLOW, "an exact " + split.share() + " % of the host's "
                    + "share " + share + " beside the route's other destinations needs every weight × " + factor
                    + ", and " + largest + " passes Istio's weight limit " + Integer.MAX_VALUE);
        }
        boolean placed = false;
        for (JsonNode d : original) {
            if (!isHost(d, host, namespace)) {
                ObjectNode other = ((ObjectNode) d).deepCopy();
                other.put("weight", BigInteger.valueOf(weight(d)).multiply(factor).intValueExact());
                result.add(other);
            } else if (!placed) {
                placed = true;
                if (stable.signum() > 0) {
                    result.add(destination(template, STABLE, stable.longValueExact()));
                }
                if (canary.signum() > 0) {
                    result.add(destination(template, CANARY, canary.longValueExact()));
                }
            }
        }
        return Outcome.of(result);
    }

    /**
     * True when a route that carries a split ({@code destinations}) is what a split of {@code original} gives, weights
     * aside: the same destinations (hosts, ports, headers) in the same places. A route given another route's
     * destinations, or a copy of a split route changed since, does not fit.
     */
    static boolean fits(JsonNode original, JsonNode destinations, String host, String namespace) {
        Optional<Split> carried = serinSplit(destinations, host, namespace);
        if (!original.isArray() || !sendsTo(original, host, namespace) || carried.isEmpty()) {
            return false;
        }
        Outcome<ArrayNode> expected = split(original, host, namespace, carried.get());
        return !expected.refused() && RouteRecords.same(withoutWeights(expected.value()), withoutWeights(destinations));
    }

    private static JsonNode withoutWeights(JsonNode destinations) {
        ArrayNode copy = destinations.deepCopy();
        copy.forEach(d -> {
            if (d instanceof ObjectNode o) {
                o.remove("weight");
            }
        });
        return copy;
    }

    /**
     * The safest original to rebuild when the recorded one is lost: the host once, without a subset (with the
     * stable and canary weights summed when other destinations share the route), every other destination kept.
     */
    static ArrayNode unsubsetted(JsonNode destinations, String host, String namespace) {
        ArrayNode result = JsonAnnotations.JSON.createArrayNode();
        ObjectNode merged = null;
        long share = 0;
        boolean others = false;
        for (JsonNode d : destinations) {
            if (!isHost(d, host, namespace)) {
                others = true;
                result.add(d.deepCopy());
            } else {
                share += weight(d);
                if (merged == null) {
                    merged = ((ObjectNode) d).deepCopy();
                    ((ObjectNode) merged.get("destination")).remove("subset");
                    result.add(merged);
                }
            }
        }
        if (merged != null) {
            if (others) {
                merged.put("weight", checked(share));
            } else {
                merged.remove("weight");
            }
        }
        return result;
    }

    private static int weight(JsonNode d) {
        return d.path("weight").asInt(0);
    }

    private static ObjectNode destination(ObjectNode template, String subset, Long weight) {
        ObjectNode d = template.deepCopy();
        d.with("destination").put("subset", subset);
        if (weight != null) {
            d.put("weight", checked(weight));
        }
        return d;
    }

    /** Istio's weights are int32 ({@link #split} refuses a split whose weights would not be). */
    private static int checked(long weight) {
        return Math.toIntExact(weight);
    }
}
