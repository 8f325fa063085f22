package dev.serin.strict.rbac;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Compares what the manifests grant an identity with what its requests used: a denied request means the manifests
 * lack a grant; a grant that no allowed request used means they grant more than is needed, unless it is exempt
 * (with the reason no scenario can use it).
 */
public final class RbacCoverage {
    private RbacCoverage() {
    }

    /**
     * @param denied           requests RBAC refused, with the API server's message
     * @param unused           grants no allowed request used, and not exempt
     * @param staleExemptions  exemptions that are not granted any more, or that a request did use after all
     */
    public record Report(List<Recorded> denied, List<Permission> unused, List<Permission> staleExemptions) {
    }

    public static Report compare(Collection<Permission> granted, Collection<Recorded> recorded,
            Map<Permission, String> exempt) {
        List<Recorded> denied = recorded.stream().filter(r -> !r.allowed()).toList();
        List<Permission> unused = new ArrayList<>();
        for (Permission grant : granted) {
            if (!exempt.containsKey(grant) && !used(grant, recorded)) {
                unused.add(grant);
            }
        }
        List<Permission> stale = exempt.keySet().stream()
                .filter(e -> !granted.contains(e) || used(e, recorded))
                .toList();
        return new Report(denied, unused, stale);
    }

    private static boolean used(Permission grant, Collection<Recorded> recorded) {
        return recorded.stream().anyMatch(r -> r.allowed() && grant.covers(r.permission()));
    }
}
