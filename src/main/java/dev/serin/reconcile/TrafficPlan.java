package dev.serin.reconcile;

import dev.serin.config.SerinConfig;
import dev.serin.traffic.Outcome;
import dev.serin.traffic.Split;
import dev.serin.traffic.TrafficTarget;
import dev.serin.traffic.Weight;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns a Canary into what the router works with: the target objects and the integer split of a weight. */
@ApplicationScoped
public class TrafficPlan {
    private final boolean percentWeights;

    public TrafficPlan(SerinConfig config) {
        this.percentWeights = config.istio().percentWeights();
    }

    public boolean percentWeights() {
        return percentWeights;
    }

    /** The split to write for a weight; refused, with serin.istio.percent-weights, for one that is no whole percent. */
    public Outcome<Split> split(Weight weight) {
        return percentWeights ? Split.percent(weight) : Outcome.of(Split.relative(weight));
    }

    public TrafficTarget target(ResolvedCanary resolved, String stableVersion) {
        return new TrafficTarget(resolved.namespace(), resolved.name(), resolved.host(), resolved.virtualServices(),
                resolved.destinationRule(), resolved.subsetLabel(), stableVersion, resolved.version());
    }
}
