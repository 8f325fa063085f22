package dev.serin.reconcile;

import static dev.serin.api.v1alpha1.ConditionTypes.TRAFFIC_APPLIED;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.cluster.ClusterCache;
import dev.serin.traffic.Outcome;
import dev.serin.traffic.RouteState;
import dev.serin.traffic.Split;
import dev.serin.traffic.TrafficLeftovers;
import dev.serin.traffic.TrafficRouter;
import dev.serin.traffic.TrafficRouters;
import dev.serin.traffic.TrafficTarget;
import dev.serin.traffic.Weight;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Brings one live Canary's traffic to its desired weight, make-before-break: backends exist and have settled
 * before a route names them; routes are pinned to the backends before canary pods exist (else the Service would
 * hand them 1/N of the traffic); pods are ready before they get more weight; weight drops before pods do.
 * Everything is derived from the cluster's state, and only what differs is written.
 */
@ApplicationScoped
public class CanaryReconciler {
    private final ClusterCache cache;
    private final TrafficLeftovers leftovers;
    private final TrafficPlan plan;
    private final CanaryDeployments deployments;
    private final Finalizers finalizers;
    private final SettleTimers settle;
    private final CanaryPromoter promoter;
    private final AutopilotPolicy autopilot;
    private final DriftConflicts conflicts;
    private final PodShortfall shortfall;
    private final TrafficEvents trafficEvents;
    private final CanaryReport report;
    private final Dialects dialects;

    public CanaryReconciler(ClusterCache cache, TrafficRouters routers, TrafficPlan plan,
            CanaryDeployments deployments, Finalizers finalizers, CanaryReport report, SettleTimers settle,
            CanaryPromoter promoter, AutopilotPolicy autopilot, DriftConflicts conflicts, PodShortfall shortfall,
            TrafficEvents trafficEvents, Dialects dialects) {
        this.cache = cache;
        this.leftovers = routers.leftovers();
        this.plan = plan;
        this.deployments = deployments;
        this.finalizers = finalizers;
        this.report = report;
        this.settle = settle;
        this.promoter = promoter;
        this.autopilot = autopilot;
        this.conflicts = conflicts;
        this.shortfall = shortfall;
        this.trafficEvents = trafficEvents;
        this.dialects = dialects;
    }

    /** Returns when to look again, if nothing else triggers it first. */
    public Optional<Duration> reconcile(Canary canary) {
        Optional<Invalid> noSpec = CanaryValidator.checkSpec(canary);
        if (noSpec.isPresent()) {
            return reject(canary, noSpec.get()); // nothing is made from it, so it needs no finalizer either
        }
        if (!CanaryKeys.hasFinalizer(canary)) {
            finalizers.add(canary);
        }
        if (autopilot.handleRequest(canary)) {
            return Optional.empty(); // the annotation's removal brings the next pass, on fresh state
        }
        Phase phase = canary.getStatus() == null ? null : canary.getStatus().phase;
        if (phase == Phase.Succeeded) {
            return Optional.empty(); // promoted: the target runs the canary's version and nothing is left to route
        }
        if (phase == Phase.Promoting) {
            return promoter.promote(canary);
        }
        String key = CanaryKeys.of(canary);
        ResolvedCanary resolved = ResolvedCanary.of(canary);
        Deployment target = resolved.target() == null ? null : cache.deployment(resolved.namespace(), resolved.target());
        TrafficRouter router = plan.router(canary);
        Optional<Invalid> invalid = CanaryValidator.validate(canary, resolved, target,
                cache.canaries(resolved.namespace()), plan.weightCheck(canary));
        if (invalid.isEmpty()) {
            invalid = dialects.notUsable(router);
        }
        if (invalid.isEmpty()) {
            invalid = autopilot.refusal(canary);
        }
        if (invalid.isPresent()) {
            return reject(canary, invalid.get());
        }
        Deployment existing = cache.deployment(resolved.namespace(), resolved.deploymentName());
        if (existing != null && !deployments.ownedBy(existing, resolved)) {
            return reject(canary, new Invalid("DeploymentNameTaken", "Deployment " + resolved.deploymentName()
                    + " exists and does not belong to this Canary"));
        }
        // tester routes exist exactly while the canary has ready pods: none before, none once they are gone
        TrafficTarget traffic = plan.target(canary, CanaryValidator.stableVersion(target, resolved))
                .withTesters(TesterPlan.desired(canary, resolved.version(), deployments.readyReplicas(existing)));
        Optional<String> gone = leftovers.canariesMarkedOn(traffic).stream()
                .filter(name -> !name.equals(resolved.name()) && cache.canary(resolved.namespace(), name) == null)
                .findFirst();
        if (gone.isPresent()) { // its sweep removes the canary backend: routes to it must wait until then
            return reject(canary, new Invalid("PreviousCanaryStopping", "Canary " + gone.get() + " is gone and Serin "
                    + "is still restoring the routes and " + router.words().plural() + " it left; this Canary starts "
                    + "once they are"));
        }
        RouteState routes = router.observe(traffic);
        // the routes are judged with every tester the spec asks for, ready canary pods or not: refused from the start
        Optional<Invalid> unfit = router.checkRoutes(traffic.withTesters(TesterPlan.of(canary.getSpec(),
                resolved.version())), routes).map(r -> new Invalid(r.reason(), r.message()));
        if (unfit.isPresent()) {
            return reject(canary, unfit.get());
        }
        if (router.detachOwners(traffic)) {
            return Optional.of(Duration.ZERO); // made by an older Serin: go on from the objects as they are now
        }

        if (autopilot.step(canary)) {
            return Optional.empty(); // it wrote the Canary: the next pass works from that
        }
        // Aborted withdraws the canary's traffic whatever spec.weight says, until a person resumes
        Weight desired = phase == Phase.Aborted ? Weight.ZERO : Weight.ofPercent(canary.getSpec().weight).orElseThrow();
        // an aborted canary keeps one pod for debugging
        Integer fixed = phase == Phase.Aborted ? Integer.valueOf(1)
                : canary.getSpec().canary == null ? null : canary.getSpec().canary.replicas;
        int needed = ReplicaPlan.replicasFor(fixed, target, desired);

        if (!routes.backendsReady()) {
            Optional<Duration> hold = conflicts.holdBackends(canary, traffic);
            if (hold.isPresent()) {
                return holdForConflict(canary, resolved, existing, needed, routes, traffic, hold.get());
            }
            router.prepareBackends(traffic);
            conflicts.wroteBackends(traffic);
            settle.backendsChanged(key);
        } else {
            conflicts.carriesBackends(traffic);
        }
        Duration backendsSettling = settle.backendsRemaining(key, traffic);
        if (!backendsSettling.isZero()) {
            // a new Canary's first status waits out a short settle: the pass after it writes the one that lasts
            if (canary.getStatus() != null || backendsSettling.compareTo(settle.quiet()) > 0) {
                report.written(canary, resolved, existing, needed, currentWeight(routes),
                        Conditions.of(TRAFFIC_APPLIED, false, router.words().waitingReason(), "waiting "
                                + SettleTimers.SETTLE_NAME + " for the " + router.words().plural()
                                + " to reach every proxy"));
            }
            return Optional.of(backendsSettling);
        }

        boolean ready = deployments.ready(existing, canary, resolved, target, needed);
        // lowering is always safe; raising waits for the pods, holding what every route has now
        Weight toWrite = ready || desired.compareTo(routes.minShare()) <= 0 ? desired : routes.minShare();
        // pods lost while carrying traffic: after a settle, send only what the ready ones can carry
        PodShortfall.Verdict lost = shortfall.check(key, fixed, target, routes.maxShare(), desired,
                deployments.readyReplicas(existing), router::floor);
        boolean lowered = lost.lowerTo().isPresent() && lost.lowerTo().get().compareTo(toWrite) < 0;
        boolean wasLowered = shortfall.lowered(key, canary);
        if (lowered) {
            toWrite = lost.lowerTo().get();
            shortfall.lowering(key);
        } else if (!ready && wasLowered) { // recovering: follow the pods that are ready again, up to spec.weight
            Weight carried = shortfall.carried(fixed, target, desired, deployments.readyReplicas(existing), router::floor);
            toWrite = carried.compareTo(toWrite) > 0 ? carried : toWrite;
        }
        if (toWrite.equals(desired)) {
            shortfall.recovered(key);
        }
        // refused (no whole percent, weights past int32): the routes stay as they are and the condition says why
        Outcome<Split> planned = router.split(toWrite).then(routes::writable);
        Split split = planned.value();
        Weight before = currentWeight(routes);
        Weight applied = before;
        // a backend the split gives a share cannot take traffic yet (it follows the pods by a moment): hold the routes
        boolean held = split != null && !routes.carries(split) && !router.canTake(traffic, split);
        if (split != null && !routes.carries(split) && !held) {
            Optional<Duration> hold = conflicts.holdRoutes(canary, traffic, split);
            if (hold.isPresent()) {
                return holdForConflict(canary, resolved, existing, needed, routes, traffic, hold.get());
            }
            boolean fighting = conflicts.condition(traffic).isPresent();
            boolean testersOnly = routes.carriesSplit(split); // the weights are there: only tester routes change
            // nothing, when every route it would change is left alone
            if (Boolean.TRUE.equals(router.applySplit(traffic, split).value())) {
                conflicts.wroteRoutes(traffic, split);
                settle.routesChanged(key);
                if (testersOnly) {
                    trafficEvents.testers(canary, traffic.testers(), split);
                } else if (!fighting) { // in a fight the ConflictingWriter Event says it, once per back-off
                    trafficEvents.shifted(canary, before, toWrite, split, existing);
                }
                if (lowered) {
                    trafficEvents.lowered(canary, deployments.readyReplicas(existing), needed, toWrite);
                }
                applied = toWrite;
            }
        } else if (split != null && !held) { // held: the backend's own event brings the next pass
            conflicts.carriesRoutes(traffic, split);
        }

        // pods go only once the lower weight has settled; until then size them for the most any route still sends
        Weight sizedFor = settle.routesRemaining(key, traffic).isZero() && applied != null
                ? applied
                : max(routes.maxShare(), applied);
        int replicas = Math.max(needed, ReplicaPlan.replicasFor(phase == Phase.Aborted && sizedFor.basisPoints() > 0
                ? specReplicas(canary) : fixed, target, sizedFor)); // aborted: one pod once no route sends to it
        // routes are pinned to the backends now, so the canary pods get only what the split gives them
        Deployment current = deployments.ensure(canary, resolved, target, replicas, existing);

        Optional<Condition> reported = planned.refusalIfAny().map(TrafficEvents::refused)
                .or(() -> conflicts.condition(traffic)).or(() -> routes.unmatched().map(TrafficEvents::refused));
        Condition trafficCondition = reported.isPresent() ? reported.get()
                : held ? TrafficEvents.held(before, toWrite, router.words())
                : TrafficEvents.condition(toWrite, desired, split, router.describeRoutes(traffic),
                        lowered || wasLowered, deployments.readyReplicas(current), needed);
        if (held) {
            // a status now would be replaced a moment later, when the backend takes the split: briefly, write none
            Duration quiet = settle.heldRemaining(key);
            if (!quiet.isZero()) {
                return Optional.of(quiet);
            }
        } else {
            settle.released(key);
        }
        Phase written = report.written(canary, resolved, current, needed, applied, trafficCondition);
        if (existing == null && current != null && written != Phase.Initializing) {
            deployments.created(canary, current); // while Initializing, the Event for reaching the weight says it
        }
        Duration routesSettling = settle.routesRemaining(key, traffic);
        Duration again = lost.recheck().isZero() || (!routesSettling.isZero() && routesSettling.compareTo(lost.recheck()) < 0)
                ? routesSettling : lost.recheck();
        Optional<Duration> recheck = planned.refused() ? Optional.of(trafficEvents.refusalRetry())
                : conflicts.recheck(traffic);
        if (recheck.isPresent() && (again.isZero() || recheck.get().compareTo(again) < 0)) {
            return recheck;
        }
        return again.isZero() ? Optional.empty() : Optional.of(again);
    }

    private Optional<Duration> reject(Canary canary, Invalid invalid) {
        report.rejected(canary, invalid);
        return Optional.empty();
    }

    /** Another writer keeps reverting Serin's routes or backends: leave them as they are until the back-off ends. */
    private Optional<Duration> holdForConflict(Canary canary, ResolvedCanary resolved, Deployment existing, int needed,
            RouteState routes, TrafficTarget traffic, Duration hold) {
        report.written(canary, resolved, existing, needed, currentWeight(routes), conflicts.condition(traffic).get());
        return Optional.of(hold);
    }

    private static Integer specReplicas(Canary canary) {
        return canary.getSpec().canary == null ? null : canary.getSpec().canary.replicas;
    }

    private static Weight max(Weight a, Weight b) {
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    private static Weight currentWeight(RouteState routes) {
        if (routes.current() != null) {
            return routes.current().share();
        }
        return routes.allSplit() || routes.maxShare().basisPoints() > 0 ? null : Weight.ZERO;
    }

}
