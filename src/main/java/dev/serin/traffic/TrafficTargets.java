package dev.serin.traffic;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.CanaryTemplate;
import dev.serin.api.v1alpha1.TrafficSpec;
import java.util.List;

/**
 * A Canary's traffic spec with its defaults filled in, in the words of the dialect it asks for: the one place that
 * reads {@code spec.traffic}'s dialect fields. A new dialect adds its branch to {@link #routes}.
 */
public final class TrafficTargets {
    /** The Valid=False reason for stable pods without the version label (named after the label's field). */
    public static final String MISSING_VERSION_LABEL = "MissingSubsetLabel";
    public static final String ISTIO = "istio";

    private TrafficTargets() {
    }

    /** The target for a Canary whose stable pods carry {@code stableVersion} (null when unknown). */
    public static TrafficTarget of(Canary canary, String stableVersion) {
        return new TrafficTarget(canary.getMetadata().getNamespace(), canary.getMetadata().getName(), host(canary),
                routes(canary), versionLabel(canary), stableVersion, canaryVersion(canary));
    }

    /** The routes the Canary asks to split, and so its dialect. */
    public static Routes routes(Canary canary) {
        TrafficSpec traffic = traffic(canary);
        String target = target(canary);
        return new Routes(ISTIO,
                traffic.virtualServices == null || traffic.virtualServices.isEmpty()
                        ? (target == null ? List.of() : List.of(target))
                        : traffic.virtualServices,
                orDefault(traffic.destinationRule, target));
    }

    /** The pod label that tells stable from canary pods; default "version". */
    public static String versionLabel(Canary canary) {
        return orDefault(traffic(canary).subsetLabel, TrafficSpec.DEFAULT_SUBSET_LABEL);
    }

    /** The destination host to split; default the target's name. */
    public static String host(Canary canary) {
        return orDefault(traffic(canary).host, target(canary));
    }

    private static String canaryVersion(Canary canary) {
        CanaryTemplate template = spec(canary).canary == null ? new CanaryTemplate() : spec(canary).canary;
        return orDefault(template.version, CanaryTemplate.DEFAULT_VERSION);
    }

    private static TrafficSpec traffic(Canary canary) {
        return spec(canary).traffic == null ? new TrafficSpec() : spec(canary).traffic;
    }

    private static String target(Canary canary) {
        return spec(canary).targetRef == null ? null : spec(canary).targetRef.name;
    }

    private static CanarySpec spec(Canary canary) {
        return canary.getSpec() == null ? new CanarySpec() : canary.getSpec(); // spec-less: all defaults
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
