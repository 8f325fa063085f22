package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.traffic.TrafficRouter;
import dev.serin.traffic.TrafficRouters;
import dev.serin.traffic.TrafficTarget;
import dev.serin.traffic.TrafficTargets;
import dev.serin.traffic.Weight;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Function;

/** Turns a Canary into what a router works with, and picks the router of the dialect it asks for. */
@ApplicationScoped
public class TrafficPlan {
    private final TrafficRouters routers;

    public TrafficPlan(TrafficRouters routers) {
        this.routers = routers;
    }

    public TrafficRouter router(Canary canary) {
        return routers.of(canary);
    }

    public TrafficRouter router(TrafficTarget target) {
        return routers.of(target);
    }

    public TrafficTarget target(Canary canary, String stableVersion) {
        return TrafficTargets.of(canary, stableVersion);
    }

    /** The weights the Canary's router refuses (Valid=False), for {@link CanaryValidator}. */
    public Function<Weight, Optional<Invalid>> weightCheck(Canary canary) {
        TrafficRouter router = router(canary);
        return weight -> router.checkWeight(weight).map(r -> new Invalid(r.reason(), r.message()));
    }
}
