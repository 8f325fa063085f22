package dev.serin.autopilot.analysis;

/** What one instant query gave: a single number, nothing, or an error. */
public sealed interface QueryResult {
    /** One value; may be +Inf or -Inf, never NaN (NaN is {@link NoData}). */
    record Value(double value) implements QueryResult {
    }

    /** An empty result, or NaN (e.g. 0/0 when there were no requests). */
    record NoData(String reason) implements QueryResult {
    }

    /**
     * The query could not be answered.
     *
     * @param unreachable true when Prometheus itself could not be reached (connection refused, timeout), so further
     *     queries are pointless; false when it answered with an error (bad query, HTTP 5xx, unexpected response)
     */
    record Failed(String message, boolean unreachable) implements QueryResult {
    }
}
