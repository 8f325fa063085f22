package dev.serin.ui;

import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.Compare;
import dev.serin.autopilot.analysis.Analysis;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One analysis check from status.analysis, each metric beside the bound spec.autopilot.analysis sets for it. */
@Schema(name = "AnalysisView")
public record AnalysisView(
        @Schema(description = "RFC 3339") String time,
        @Schema(description = "Pass, Fail or Inconclusive") String result,
        @Schema(description = "the judge's score (0..100) of the metrics compared with stable; null when none") Double score,
        @Schema(description = "the judge's verdict: Pass, Marginal, Fail or Inconclusive; null when none") String judgement,
        List<Metric> metrics) {

    @Schema(name = "AnalysisMetric")
    public record Metric(String name, Double value,
            @Schema(description = "the value rounded as the status messages write it (at most 3 decimals) with its"
                    + " unit, e.g. \"5959.655\" or \"85.622 ms\"; null when there is no value")
            String formatted,
            @Schema(description = "the bound the value is held to, e.g. \">= 99\" or \"<= 500 ms\", or how it is"
                    + " compared with stable, e.g. \"vs stable: increase, allowed x1.1\"; null when none")
            String bound,
            String result, String message,
            @Schema(description = "compared with stable: High, Low, Pass or Inconclusive") String classification,
            Integer canarySamples, Integer stableSamples, Double canaryMedian, Double stableMedian,
            @Schema(description = "mean canary / mean stable") Double effectSize,
            @Schema(description = "the location shift canary - stable") Double estimate,
            @Schema(description = "the shift's 98 % interval, lower end") Double intervalLower,
            @Schema(description = "the shift's 98 % interval, upper end") Double intervalUpper) {
    }

    /** Newest last, as status keeps them. */
    public static List<AnalysisView> of(Canary canary) {
        if (canary.getStatus() == null || canary.getStatus().analysis == null) {
            return List.of();
        }
        AnalysisSpec spec = canary.getSpec() == null || canary.getSpec().autopilot == null ? null
                : canary.getSpec().autopilot.analysis;
        return canary.getStatus().analysis.stream().filter(Objects::nonNull).map(r -> of(r, spec)).toList();
    }

    private static AnalysisView of(AnalysisRecord record, AnalysisSpec spec) {
        List<Metric> metrics = record.metrics == null ? List.of() : record.metrics.stream().filter(Objects::nonNull)
                .map(m -> new Metric(m.name, m.value, formatted(m.name, m.value), bound(m.name, spec), m.result,
                        m.message, m.classification, m.canarySamples, m.stableSamples, m.canaryMedian, m.stableMedian,
                        m.effectSize, m.estimate, m.interval == null ? null : m.interval.lower,
                        m.interval == null ? null : m.interval.upper))
                .toList();
        return new AnalysisView(record.time, record.result, record.score, record.judgement, metrics);
    }

    /** As Analysis writes a value into a status message, with the unit the bound column uses. */
    static String formatted(String metric, Double value) {
        if (value == null) {
            return null;
        }
        String unit = Analysis.SUCCESS_RATE.equals(metric) ? " %" : Analysis.LATENCY_P99.equals(metric) ? " ms" : "";
        return Analysis.format(value) + unit;
    }

    static String bound(String metric, AnalysisSpec spec) {
        if (spec == null || metric == null) {
            return null;
        }
        if (metric.equals(Analysis.REQUESTS)) {
            return spec.minRequests == null || spec.minRequests <= 0 ? null : ">= " + spec.minRequests;
        }
        if (metric.equals(Analysis.SUCCESS_RATE)) {
            return spec.successRate == null ? null : spec.successRate.compare != null
                    ? compared(spec.successRate.compare, "decrease")
                    : range(spec.successRate.min, spec.successRate.max, " %");
        }
        if (metric.equals(Analysis.LATENCY_P99)) {
            return spec.latencyP99 == null ? null : spec.latencyP99.compare != null
                    ? compared(spec.latencyP99.compare, "increase")
                    : range(null, spec.latencyP99.maxMs, " ms");
        }
        if (spec.queries != null) {
            for (int i = 0; i < spec.queries.size(); i++) {
                AnalysisSpec.Query q = spec.queries.get(i);
                String name = Analysis.queryName(q, i);
                if (q != null && name.equals(metric)) {
                    return q.compare != null ? compared(q.compare, "either") : range(q.min, q.max, "");
                }
            }
        }
        return null;
    }

    /** e.g. "vs stable: increase, allowed x1.1, critical". */
    private static String compared(Compare c, String defaultDirection) {
        String direction = c.direction == null ? defaultDirection : c.direction.name().toLowerCase(java.util.Locale.ROOT);
        StringBuilder s = new StringBuilder("vs stable: ").append(direction);
        if (!"decrease".equals(direction) && c.allowedIncrease != null) {
            s.append(", allowed x").append(format(c.allowedIncrease));
        }
        if (!"increase".equals(direction) && c.allowedDecrease != null) {
            s.append(", allowed down to x").append(format(c.allowedDecrease));
        }
        if (Boolean.TRUE.equals(c.critical)) {
            s.append(", critical");
        }
        return s.toString();
    }

    private static String range(Double min, Double max, String unit) {
        if (min != null && max != null) {
            return format(min) + unit + " .. " + format(max) + unit;
        }
        if (min != null) {
            return ">= " + format(min) + unit;
        }
        return max == null ? null : "<= " + format(max) + unit;
    }

    private static String format(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v)
                : java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
