package dev.serin.reconcile;

import dev.serin.config.SerinConfig;
import dev.serin.traffic.TrafficRouter;
import dev.serin.traffic.TrafficRouters;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which traffic dialects this replica can route with now: those the cluster serves and whose informers have synced
 * (the {@link Controller} marks them). A dialect becomes usable once and stays so until the controller stops.
 */
@ApplicationScoped
public class Dialects {
    private final TrafficRouters routers;
    private final Duration recheck;
    private final Set<String> usable = ConcurrentHashMap.newKeySet();

    public Dialects(TrafficRouters routers, SerinConfig config) {
        this.routers = routers;
        this.recheck = config.reconcile().maxBackoff();
    }

    public boolean usable(TrafficRouter router) {
        return usable.contains(router.dialect());
    }

    public boolean anyUsable() {
        return !usable.isEmpty();
    }

    /**
     * Why the router cannot be used, when it cannot: Valid=False with its reason, e.g. IstioNotServed; nothing is
     * written for the Canary until it can.
     */
    public Optional<Invalid> notUsable(TrafficRouter router) {
        if (usable(router)) {
            return Optional.empty();
        }
        return Optional.of(new Invalid(router.notServedReason(), router.problem().orElse(
                "Serin is still starting to watch the objects of " + router.dialect())));
    }

    /**
     * True when a stop may go on for a Canary of this router: the dialect is usable, or the cluster does not serve it
     * at all, so no route of it can carry traffic. While discovery could not be asked, the stop waits
     * ({@link #recheck()}): the routes may still name the canary pods.
     */
    public boolean stoppable(TrafficRouter router) {
        return usable(router) || router.absent();
    }

    /** How long to wait before asking again: the longest back-off, which is how often discovery is asked again. */
    public Duration recheck() {
        return recheck;
    }

    /** Each dialect's state, for readiness: its problem, or "served". */
    public Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        for (TrafficRouter router : routers.all()) {
            states.put(router.dialect(), usable(router) ? "served"
                    : router.problem().orElse("starting to watch its objects"));
        }
        return states;
    }

    void markUsable(TrafficRouter router) {
        usable.add(router.dialect());
    }

    void clear() {
        usable.clear();
    }
}
