package dev.serin.autopilot.judge;

import java.util.Arrays;
import org.hipparchus.stat.descriptive.rank.Percentile;
import org.hipparchus.stat.descriptive.rank.Percentile.EstimationType;

/** The small statistics the judge needs of one side's samples. Pure. */
final class Samples {
    static final double OUTLIER_FACTOR = 3;

    private Samples() {
    }

    /** The finite values: NaN (a step without data) is dropped, and so is ±Inf, as R's wilcox.test drops them. */
    static double[] finite(double[] values) {
        return Arrays.stream(values).filter(Double::isFinite).toArray();
    }

    /** Without the values beyond {@code 3 × IQR} below the first or above the third quartile (R's type 7 quantiles). */
    static double[] withoutOutliers(double[] values) {
        if (values.length < 4) {
            return values;
        }
        Percentile p = new Percentile().withEstimationType(EstimationType.R_7);
        double q1 = p.evaluate(values, 25);
        double q3 = p.evaluate(values, 75);
        double iqr = q3 - q1;
        double low = q1 - OUTLIER_FACTOR * iqr;
        double high = q3 + OUTLIER_FACTOR * iqr;
        return Arrays.stream(values).filter(v -> v >= low && v <= high).toArray();
    }

    /** The median, as R's median(): the mean of the two middle values of an even count. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static double mean(double[] values) {
        return Arrays.stream(values).sum() / values.length;
    }

    /** The same values, in any order. */
    static boolean identical(double[] a, double[] b) {
        double[] x = a.clone();
        double[] y = b.clone();
        Arrays.sort(x);
        Arrays.sort(y);
        return Arrays.equals(x, y);
    }

    /** Every value of both sides equal. */
    static boolean oneValue(double[] a, double[] b) {
        double first = a[0];
        return Arrays.stream(a).allMatch(v -> v == first) && Arrays.stream(b).allMatch(v -> v == first);
    }

    /** Every value of this side equal. */
    static boolean constant(double[] a) {
        return Arrays.stream(a).allMatch(v -> v == a[0]);
    }
}
