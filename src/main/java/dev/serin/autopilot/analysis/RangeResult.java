package dev.serin.autopilot.analysis;

import java.util.List;

/** What one range query gave: a value per step for each series (NaN where a step had none), or an error. */
public sealed interface RangeResult {
    /** One array per series (e.g. per pod); may be empty: no series at all. */
    record Series(List<double[]> series) implements RangeResult {
        public Series {
            series = List.copyOf(series);
        }

        /** Every series' values in one array: the judge's samples of one side. */
        public double[] samples() {
            return series.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
        }
    }

    /** @param unreachable as in {@link QueryResult.Failed}: the source itself could not be reached */
    record Failed(String message, boolean unreachable) implements RangeResult {
    }
}
