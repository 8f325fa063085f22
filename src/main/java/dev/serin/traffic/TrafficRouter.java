package dev.serin.traffic;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One dialect's way of splitting traffic between stable and canary pods (Istio's VirtualService and DestinationRule,
 * Gateway API's HTTPRoute). The reconcile sees only this interface; {@link TrafficRouters} picks the router for a
 * Canary. Reads come from caches; each write method says whether it changed something, so the caller can wait for
 * it to settle.
 */
public interface TrafficRouter {
    /** The dialect's name, as status and the CLI show it: "istio", "gateway-api". */
    String dialect();

    // --- discovery

    /** Asks API discovery anew (a controller start) and logs the outcome; true when the cluster serves the dialect. */
    boolean discover();

    /** Asks discovery again while the dialect is not served; logs only what changed. True once it is. */
    boolean rediscover();

    /** Whether the cluster served the dialect when discovery was last asked. */
    boolean served();

    /**
     * True when discovery answered that the cluster does not serve the dialect (its kinds do not exist, so no object
     * of them can carry traffic), as opposed to not having been able to ask.
     */
    boolean absent();

    /** Why the dialect cannot be used, while discovery says so. */
    Optional<String> problem();

    /** The Valid=False reason for a Canary of this dialect while the cluster does not serve it: "IstioNotServed". */
    String notServedReason();

    /** The kinds to watch once served, at the version discovery decided, and how their objects map to Canaries. */
    List<WatchedKind> watched();

    // --- validation and planning

    /** Why a Canary may not ask for this weight in this dialect (Valid=False), if so. */
    Optional<Refusal> checkWeight(Weight weight);

    /** Why the Canary's routes do not fit its traffic spec (Valid=False), if so: a listed route not for the host. */
    Optional<Refusal> checkRoutes(TrafficTarget target, RouteState routes);

    /** The integer split the router writes for a weight; refused when it cannot write that weight. */
    Outcome<Split> split(Weight weight);

    /** The largest weight not above {@code weight} that the router can write. */
    Weight floor(Weight weight);

    // --- reads

    /** What the routes and backends carry for the Canary now. */
    RouteState observe(TrafficTarget target);

    /** When Serin last changed the Canary's backends, as recorded on the objects (so it survives a restart). */
    Optional<Instant> backendsChangedAt(TrafficTarget target);

    /** When Serin last changed (or restored) any of the Canary's routes, as recorded on the objects. */
    Optional<Instant> routesChangedAt(TrafficTarget target);

    /** The routes the router writes for the Canary, for a fight over them. */
    OwnedFields routeFields(TrafficTarget target);

    /** The backends the router writes for the Canary, for a fight over them. */
    OwnedFields backendFields(TrafficTarget target);

    /** The routes in words, e.g. "VirtualService api, api-internal". */
    String describeRoutes(TrafficTarget target);

    /** How the backends are called in conditions and Events. */
    BackendWords words();

    /**
     * Why Istio's standard metrics ({@code istio_requests_total}, which status.observed and the built-in analysis read)
     * cannot be taken to count the Canary's traffic, if so: its routes are served by another implementation than
     * Istio, or no implementation has said yet which serves them. Empty when Istio serves them.
     */
    Optional<String> withoutIstioMetrics(TrafficTarget target);

    /** The marks Canaries left on this dialect's objects. */
    TrafficLeftovers leftovers();

    // --- writes

    /**
     * Whether every backend the split sends traffic to can take it now (Gateway API: its Service lists a ready
     * endpoint, which follows the pods by a moment; Istio: always, its subsets having settled). The router writes no
     * split before, so the reconcile holds the routes as they are until then.
     */
    boolean canTake(TrafficTarget target, Split split);

    /** Makes the stable and canary backends exist (creating what is missing) before any route names them. */
    boolean prepareBackends(TrafficTarget target);

    /**
     * Writes the split into every route to the host (creating missing routes), remembering the originals. Every
     * route or none: refused (nothing written) when the weights would not fit one of them; else whether it wrote.
     */
    Outcome<Boolean> applySplit(TrafficTarget target, Split split);

    /** Puts every split route back to the destinations it had before the Canary. */
    boolean restoreRoutes(TrafficTarget target);

    /** Removes the backends the Canary added and deletes the objects created for it. Routes must be restored first. */
    boolean removeBackends(TrafficTarget target);

    /**
     * Replaces the ownerReference to the Canary that an older Serin set on the objects it created with the label,
     * so that deleting the Canary in the foreground cannot take them before the weight is withdrawn.
     */
    boolean detachOwners(TrafficTarget target);
}
