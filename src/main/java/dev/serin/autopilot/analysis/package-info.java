/**
 * The autopilot's health check of a canary step: {@link dev.serin.autopilot.analysis.AnalysisProvider} and its
 * Prometheus implementation over Istio's standard metrics.
 *
 * <p>Built-in checks ({@link dev.serin.autopilot.analysis.PromQl}): {@code requests} (always), {@code successRate}
 * (percent not 5xx) and {@code latencyP99} (ms), all from the canary's own sidecar ({@code reporter="destination"}).
 * User queries run as written after placeholder expansion ({@code {{namespace}}}, {@code {{workload}}},
 * {@code {{version}}}, {@code {{window}}}) and must give a scalar or a one-element vector. Verdict rules are in
 * {@link dev.serin.autopilot.analysis.Analysis}; compare mode (canary against stable, range queries, the judge of
 * {@code dev.serin.autopilot.judge}) in {@link dev.serin.autopilot.analysis.Comparisons}; Datadog in
 * {@link dev.serin.autopilot.analysis.DatadogAnalysisProvider}.
 *
 * <p>Known limit: Istio creates a series (e.g. for response_code="503") at its first request, and
 * {@code increase()} counts from a series' first sample, so requests in a series' very first scrape are not counted.
 * After the first error of a given code the count is exact.
 */
package dev.serin.autopilot.analysis;
