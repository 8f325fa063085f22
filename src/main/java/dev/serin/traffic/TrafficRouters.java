package dev.serin.traffic;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.traffic.istio.IstioRouter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every router, and the one a Canary asks for ({@link TrafficTargets#routes} names its dialect). A new dialect adds
 * its router here, and its branch in {@link TrafficTargets#routes}.
 */
@ApplicationScoped
public class TrafficRouters {
    private final Map<String, TrafficRouter> byDialect = new LinkedHashMap<>();
    private final TrafficLeftovers leftovers;

    @Inject
    public TrafficRouters(IstioRouter istio) {
        this(List.of(istio));
    }

    TrafficRouters(List<TrafficRouter> routers) {
        routers.forEach(r -> byDialect.put(r.dialect(), r));
        this.leftovers = new AllLeftovers();
    }

    public List<TrafficRouter> all() {
        return List.copyOf(byDialect.values());
    }

    public TrafficRouter of(TrafficTarget target) {
        return of(target.dialect());
    }

    public TrafficRouter of(Canary canary) {
        return of(TrafficTargets.routes(canary).dialect());
    }

    public TrafficRouter of(String dialect) {
        TrafficRouter router = byDialect.get(dialect);
        if (router == null) {
            throw new IllegalArgumentException("no router for dialect " + dialect);
        }
        return router;
    }

    /** The marks Canaries left, over every dialect. */
    public TrafficLeftovers leftovers() {
        return leftovers;
    }

    /** Every dialect's leftovers; a Canary's in the first dialect that has any (the next pass finds the next). */
    private final class AllLeftovers implements TrafficLeftovers {
        @Override
        public Set<String> canariesMarkedOn(io.fabric8.kubernetes.api.model.GenericKubernetesResource object) {
            Set<String> names = new TreeSet<>();
            byDialect.values().forEach(r -> names.addAll(r.leftovers().canariesMarkedOn(object)));
            return names;
        }

        @Override
        public Set<String> canariesMarkedOn(TrafficTarget target) {
            return of(target).leftovers().canariesMarkedOn(target);
        }

        @Override
        public Set<CanaryRef> markedCanaries() {
            Set<CanaryRef> marked = new java.util.HashSet<>();
            byDialect.values().forEach(r -> marked.addAll(r.leftovers().markedCanaries()));
            return marked;
        }

        @Override
        public Optional<TrafficTarget> leftovers(String namespace, String canary) {
            for (TrafficRouter router : byDialect.values()) {
                Optional<TrafficTarget> left = router.leftovers().leftovers(namespace, canary);
                if (left.isPresent()) {
                    return left;
                }
            }
            return Optional.empty();
        }
    }
}
