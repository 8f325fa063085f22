package dev.serin.rest.dto;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.CanaryTemplate;
import dev.serin.api.v1alpha1.ObservedShare;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.api.v1alpha1.Sticky;
import dev.serin.api.v1alpha1.Tester;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "CanarySummary", description = "A canary as the REST API shows it")
public record CanarySummary(
        String namespace,
        String name,
        @Schema(description = "spec.targetRef.name: the stable Deployment") String target,
        @Schema(description = "status.phase; Initializing until the controller has written one",
                example = "Progressing") String phase,
        @Schema(description = "spec.weight: the share asked for, percent", example = "12.5") Double desiredWeight,
        @Schema(description = "status.weight: the share traffic really gets, percent", example = "5") Double weight,
        Integer replicas,
        Integer readyReplicas,
        @Schema(description = "spec.canary.version, default \"canary\"", example = "canary") String version,
        List<ConditionView> conditions,
        @Schema(description = "status.dashboardUrl, else built from serin.dashboard.url-template") String dashboardUrl,
        @Schema(description = "autopilot: index of the current step") Integer stepIndex,
        @Schema(description = "autopilot: when the next step is due if the analysis passes") String nextStepAt,
        @Schema(description = "autopilot: the last analysis check") AnalysisRecord lastAnalysis,
        @Schema(description = "status.observed: the share of requests the canary really got, measured from Istio's "
                + "metrics in Prometheus (no share when there were too few requests; message says why)")
        ObservedShare observed,
        @Schema(description = "spec.testers: requests matching any go to the canary whatever the weight")
        List<Tester> testers,
        @Schema(description = "spec.sticky: the cookie canary responses set to keep users there") Sticky sticky) {

    /** @param dashboards computes a link from (namespace, name, version) when status has none */
    public static CanarySummary of(Canary c, Dashboards dashboards) {
        CanarySpec spec = Optional.ofNullable(c.getSpec()).orElseGet(CanarySpec::new);
        CanaryStatus status = c.getStatus();
        String namespace = c.getMetadata().getNamespace();
        String name = c.getMetadata().getName();
        String version = versionOf(c);
        String dashboard = status != null && status.dashboardUrl != null && !status.dashboardUrl.isBlank()
                ? status.dashboardUrl
                : dashboards.link(namespace, name, version).orElse(null);
        List<ConditionView> conditions = status == null || status.conditions == null ? List.of()
                : status.conditions.stream().map(ConditionView::of).toList();
        return new CanarySummary(
                namespace,
                name,
                spec.targetRef == null ? null : spec.targetRef.name,
                // a Canary the controller has not written a status for yet is Initializing, as its first pass says
                status == null || status.phase == null ? Phase.Initializing.name() : status.phase.name(),
                spec.weight,
                get(status, s -> s.weight),
                get(status, s -> s.replicas),
                get(status, s -> s.readyReplicas),
                version,
                conditions,
                dashboard,
                get(status, s -> s.stepIndex),
                get(status, s -> s.nextStepAt),
                get(status, s -> s.analysis == null || s.analysis.isEmpty() ? null : s.analysis.get(s.analysis.size() - 1)),
                get(status, s -> s.observed),
                spec.testers == null ? List.of() : spec.testers,
                spec.sticky);
    }

    public static String versionOf(Canary c) {
        CanaryTemplate t = c.getSpec() == null ? null : c.getSpec().canary;
        return t == null || t.version == null || t.version.isBlank() ? CanaryTemplate.DEFAULT_VERSION : t.version;
    }

    private static <T> T get(CanaryStatus status, Function<CanaryStatus, T> f) {
        return status == null ? null : f.apply(status);
    }

    @FunctionalInterface
    public interface Dashboards {
        Optional<String> link(String namespace, String name, String version);
    }
}
