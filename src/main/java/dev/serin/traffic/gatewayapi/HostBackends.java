package dev.serin.traffic.gatewayapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.serin.traffic.JsonAnnotations;
import dev.serin.traffic.Outcome;
import dev.serin.traffic.Refusal;
import dev.serin.traffic.RouteRecords;
import dev.serin.traffic.Split;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Pure functions over the {@code backendRefs} of one HTTPRoute rule, for one Canary: which refs name the host's
 * Service (or the Canary's {@code <name>-stable} / {@code <name>-canary} Services that stand in for it during a split),
 * the split Serin wrote there, and the refs a split gives. Other backendRefs keep their place and their share of the
 * rule; only the host's share is divided between the two Services. A missing {@code weight} is 1, as the API server
 * defaults it.
 *
 * @param namespace the Canary's (and the HTTPRoute's) namespace
 * @param host      the target Service's name
 * @param canary    the Canary's name
 */
record HostBackends(String namespace, String host, String canary) {
    /** Gateway API's largest backendRef weight. */
    static final long MAX_WEIGHT = 1_000_000;
    /** Gateway API's most backendRefs in one rule (the CRD's maxItems). */
    static final int MAX_REFS = 16;

    static HostBackends of(String namespace, String host, String canary) {
        return new HostBackends(namespace, serviceName(host, namespace), canary);
    }

    /** A host written as {@code api}, {@code api.web}, {@code api.web.svc[.cluster.local]} is Service api in web. */
    static String serviceName(String host, String namespace) {
        String h = host.trim().toLowerCase();
        for (String suffix : new String[] {"." + namespace + ".svc.cluster.local", "." + namespace + ".svc",
                "." + namespace}) {
            if (h.endsWith(suffix)) {
                return h.substring(0, h.length() - suffix.length());
            }
        }
        return h;
    }

    String stableService() {
        return ServiceNames.stable(canary);
    }

    String canaryService() {
        return ServiceNames.canary(canary);
    }

    /** A core Service in the Canary's namespace (group "" and kind Service are the defaults). */
    private boolean isLocalService(JsonNode ref) {
        String group = ref.path("group").asText("");
        String kind = ref.path("kind").asText("Service");
        String ns = ref.path("namespace").asText(namespace);
        return group.isEmpty() && "Service".equals(kind) && namespace.equals(ns);
    }

    /** The ref names the host's own Service. */
    boolean isUserService(JsonNode ref) {
        return isLocalService(ref) && host.equals(ref.path("name").asText(null));
    }

    /** The ref names the host's Service or one of the Canary's two. */
    boolean isHost(JsonNode ref) {
        if (!isLocalService(ref)) {
            return false;
        }
        String name = ref.path("name").asText("");
        return name.equals(host) || name.equals(stableService()) || name.equals(canaryService());
    }

    static long weight(JsonNode ref) {
        return ref.path("weight").asLong(1);
    }

    /** True when the rule sends some of its traffic to the host. */
    boolean sendsTo(JsonNode refs) {
        if (!refs.isArray()) {
            return false;
        }
        for (JsonNode ref : refs) {
            if (isHost(ref) && weight(ref) > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ratio of a rule Serin split: its refs to the host are the stable and canary Services only, each at most
     * once; refs to other backends may sit beside them.
     */
    Optional<Split> serinSplit(JsonNode refs) {
        if (!refs.isArray() || refs.isEmpty()) {
            return Optional.empty();
        }
        Long stable = null;
        Long canaryWeight = null;
        for (JsonNode ref : refs) {
            if (!isHost(ref)) {
                continue;
            }
            String name = ref.path("name").asText("");
            if (name.equals(stableService()) && stable == null) {
                stable = weight(ref);
            } else if (name.equals(canaryService()) && canaryWeight == null) {
                canaryWeight = weight(ref);
            } else {
                return Optional.empty();
            }
        }
        long s = stable == null ? 0 : stable;
        long c = canaryWeight == null ? 0 : canaryWeight;
        return s < 0 || c < 0 || s + c == 0 || s > MAX_WEIGHT || c > MAX_WEIGHT ? Optional.empty()
                : Optional.of(new Split((int) s, (int) c));
    }

    /**
     * The refs {@code split} gives a rule whose original refs were {@code original}. Alone, the host gets the split's
     * own weights (a zero side left out, a lone side weight 1). Beside other backends, the host's refs (their weights
     * summed) are replaced, at the first one's place, by stable and canary weights that sum to that share with
     * canary / (stable + canary) exactly the split's ratio; when the share does not divide, every weight in the rule is
     * multiplied by the smallest factor that makes it divide. Refused ({@link Refusal#BACKEND_WEIGHTS_OVERFLOW}) when a
     * weight so multiplied would pass Gateway API's 1,000,000, and ({@link Refusal#TOO_MANY_BACKEND_REFS}) when the
     * rule would have more than 16 backendRefs. The first host ref's fields (port, filters) are kept on both
     * replacements.
     */
    Outcome<ArrayNode> split(JsonNode original, Split split) {
        ObjectNode template = null;
        long share = 0;
        long largestOther = 0;
        boolean others = false;
        for (JsonNode ref : original) {
            if (isHost(ref)) {
                if (template == null) {
                    template = ((ObjectNode) ref).deepCopy();
                }
                share += weight(ref);
            } else {
                others = true;
                largestOther = Math.max(largestOther, weight(ref));
            }
        }
        ArrayNode result = JsonAnnotations.JSON.createArrayNode();
        if (!others) {
            if (split.stable() > 0) {
                result.add(ref(template, stableService(), split.stable()));
            }
            if (split.canary() > 0) {
                result.add(ref(template, canaryService(), split.canary()));
            }
            return Outcome.of(result);
        }
        BigInteger total = BigInteger.valueOf(split.stable()).add(BigInteger.valueOf(split.canary()));
        BigInteger hostShare = BigInteger.valueOf(share);
        BigInteger factor = total.divide(hostShare.multiply(BigInteger.valueOf(split.canary())).gcd(total));
        BigInteger canaryWeight = hostShare.multiply(factor).multiply(BigInteger.valueOf(split.canary()))
                .divide(total);
        BigInteger stable = hostShare.multiply(factor).subtract(canaryWeight);
        BigInteger largest = stable.max(canaryWeight).max(BigInteger.valueOf(largestOther).multiply(factor));
        if (largest.compareTo(BigInteger.valueOf(MAX_WEIGHT)) > 0) {
            return Outcome.refused(Refusal.BACKEND_WEIGHTS_OVERFLOW, "an exact " + split.share() + " % of the host's "
                    + "share " + share + " beside the rule's other backends needs every weight × " + factor + ", and "
                    + largest + " passes Gateway API's backendRef weight limit " + MAX_WEIGHT);
        }
        boolean placed = false;
        for (JsonNode ref : original) {
            if (!isHost(ref)) {
                ObjectNode other = ((ObjectNode) ref).deepCopy();
                if (!factor.equals(BigInteger.ONE)) {
                    other.put("weight", BigInteger.valueOf(weight(ref)).multiply(factor).intValueExact());
                }
                result.add(other);
            } else if (!placed) {
                placed = true;
                if (stable.signum() > 0) {
                    result.add(ref(template, stableService(), stable.longValueExact()));
                }
                if (canaryWeight.signum() > 0) {
                    result.add(ref(template, canaryService(), canaryWeight.longValueExact()));
                }
            }
        }
        if (result.size() > MAX_REFS) { // the API server would refuse the route (maxItems)
            return Outcome.refused(Refusal.TOO_MANY_BACKEND_REFS, "the split needs " + result.size() + " backendRefs "
                    + "in the rule (its " + original.size() + " with the host's replaced by " + stableService() + " and "
                    + canaryService() + "), and Gateway API allows at most " + MAX_REFS + " in one rule");
        }
        return Outcome.of(result);
    }

    /**
     * True when a split rule's refs are what a split of {@code original} gives, weights aside: the same refs (names,
     * ports, filters) in the same places.
     */
    boolean fits(JsonNode original, JsonNode refs) {
        Optional<Split> carried = serinSplit(refs);
        if (!original.isArray() || !sendsTo(original) || carried.isEmpty()) {
            return false;
        }
        Outcome<ArrayNode> expected = split(original, carried.get());
        return !expected.refused() && RouteRecords.same(withoutWeights(expected.value()), withoutWeights(refs));
    }

    private static JsonNode withoutWeights(JsonNode refs) {
        ArrayNode copy = refs.deepCopy();
        copy.forEach(ref -> {
            if (ref instanceof ObjectNode o) {
                o.remove("weight");
            }
        });
        return copy;
    }

    /**
     * The safest original to rebuild when the recorded one is lost: the host's own Service once, in place of the
     * Canary's two (their weights summed), every other backend kept.
     */
    ArrayNode unsplit(JsonNode refs) {
        ArrayNode result = JsonAnnotations.JSON.createArrayNode();
        ObjectNode merged = null;
        long share = 0;
        for (JsonNode ref : refs) {
            if (!isHost(ref)) {
                result.add(ref.deepCopy());
            } else {
                share += weight(ref);
                if (merged == null) {
                    merged = ((ObjectNode) ref).deepCopy();
                    merged.put("name", host);
                    result.add(merged);
                }
            }
        }
        if (merged != null) {
            merged.put("weight", (int) Math.min(share, MAX_WEIGHT));
        }
        return result;
    }

    private static ObjectNode ref(ObjectNode template, String service, long weight) {
        ObjectNode ref = template.deepCopy();
        ref.put("name", service);
        ref.put("weight", Math.toIntExact(weight)); // ≤ 1,000,000: an int, as the API server's JSON reads back
        return ref;
    }
}
