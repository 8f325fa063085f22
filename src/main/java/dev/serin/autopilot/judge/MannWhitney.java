package dev.serin.autopilot.judge;

import java.util.Arrays;
import org.hipparchus.analysis.solvers.BrentSolver;
import org.hipparchus.distribution.continuous.NormalDistribution;
import org.hipparchus.stat.ranking.NaNStrategy;
import org.hipparchus.stat.ranking.NaturalRanking;
import org.hipparchus.stat.ranking.TiesStrategy;

/**
 * The two-sided Mann–Whitney U (Wilcoxon rank-sum) test of two samples, asymptotic with tie and continuity correction,
 * and the location shift with its confidence interval: what R's {@code wilcox.test(x, y, exact = FALSE, correct = TRUE,
 * conf.int = TRUE, conf.level = c)} reports. Pure.
 *
 * <p>As R does, the interval's ends and the estimate are roots in the shift {@code d} of the standardized statistic of
 * {@code x - d} against {@code y} (ties re-counted at each {@code d}; with the continuity correction for the interval,
 * without it for the estimate), searched between {@code min(x) - max(y)} and {@code max(x) - min(y)} by Brent's method
 * to R's {@code tol.root = 1e-4}. That statistic is a step function of {@code d}, so the ends and the estimate are
 * accurate to that tolerance; the statistic W and the p-value are exact.
 *
 * <p>Hipparchus' own {@code MannWhitneyUTest} is not used: it reports min(U1, U2) rather than R's W, and its tie
 * correction computes {@code t^3} in {@code int}, which overflows past 1290 equal values (a long flat series does that).
 */
public final class MannWhitney {
    /** R's default {@code tol.root}. */
    static final double TOLERANCE = 1e-4;
    private static final int MAX_EVALUATIONS = 1000;
    private static final NormalDistribution NORMAL = new NormalDistribution(0, 1);

    /**
     * @param w R's W: the rank sum of {@code x} minus {@code n_x (n_x + 1) / 2}
     * @param pValue two-sided
     * @param estimate the location shift of {@code x} against {@code y}
     * @param lower the confidence interval's lower end
     * @param upper its upper end
     */
    public record Result(double w, double pValue, double estimate, double lower, double upper) {
    }

    private MannWhitney() {
    }

    /**
     * @param x finite values, at least one
     * @param y finite values, at least one
     * @param confidence e.g. 0.98
     * @throws IllegalArgumentException for an empty sample, a non-finite value, or every value of both equal (R cannot
     *     compute an interval then)
     */
    public static Result test(double[] x, double[] y, double confidence) {
        if (x.length == 0 || y.length == 0) {
            throw new IllegalArgumentException("both samples need a value");
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1: " + confidence);
        }
        for (double v : x) {
            requireFinite(v);
        }
        for (double v : y) {
            requireFinite(v);
        }
        Shifted s = new Shifted(x, y);
        Shifted.Z atZero = s.at(0);
        double w = atZero.w();
        double z = atZero.standardized(true);
        double p = 2 * NORMAL.cumulativeProbability(-Math.abs(z));

        double mumin = min(x) - max(y);
        double mumax = max(x) - min(y);
        double fLow = s.at(mumin).standardized(true);
        double fHigh = s.at(mumax).standardized(true);
        if (Double.isNaN(fLow) || Double.isNaN(fHigh)) {
            throw new IllegalArgumentException("cannot compute a confidence interval when all observations are tied");
        }
        double q = NORMAL.inverseCumulativeProbability(1 - (1 - confidence) / 2);
        double lower = root(s, true, q, mumin, mumax, fLow, fHigh);
        double upper = root(s, true, -q, mumin, mumax, fLow, fHigh);
        double estimate = estimate(s, mumin, mumax);
        return new Result(w, p, estimate, lower, upper);
    }

    /** R's root(zq): an end of the range when the statistic does not cross zq inside it. */
    private static double root(Shifted s, boolean correct, double zq, double mumin, double mumax, double fLow,
            double fHigh) {
        if (fLow - zq <= 0) {
            return mumin;
        }
        if (fHigh - zq >= 0) {
            return mumax;
        }
        return solve(d -> s.at(d).standardized(correct) - zq, mumin, mumax);
    }

    /** The shift at which the statistic without continuity correction is 0. */
    private static double estimate(Shifted s, double mumin, double mumax) {
        double fLow = s.at(mumin).standardized(false);
        double fHigh = s.at(mumax).standardized(false);
        if (fLow == 0) {
            return mumin;
        }
        if (fHigh == 0) {
            return mumax;
        }
        return solve(d -> s.at(d).standardized(false), mumin, mumax);
    }

    private static double solve(org.hipparchus.analysis.UnivariateFunction f, double low, double high) {
        // Brent's tolerance 2 * eps * |b| + t is R's zeroin's 2 * DBL_EPSILON * |b| + tol / 2
        BrentSolver brent = new BrentSolver(Math.ulp(1.0), TOLERANCE / 2, 0);
        return brent.solve(MAX_EVALUATIONS, f, low, high);
    }

    private static void requireFinite(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("samples must be finite: " + v);
        }
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }

    /** The rank statistic of {@code x - d} against {@code y}. */
    private static final class Shifted {
        private static final NaturalRanking RANKING = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);
        private final double[] x;
        private final double[] y;
        private final double nx;
        private final double ny;

        Shifted(double[] x, double[] y) {
            this.x = x;
            this.y = y;
            this.nx = x.length;
            this.ny = y.length;
        }

        /** W, its distance from its mean, and its tie-corrected standard deviation, at shift d. */
        record Z(double w, double dz, double sigma) {
            double standardized(boolean correct) {
                double correction = correct ? Math.signum(dz) * 0.5 : 0;
                return (dz - correction) / sigma;
            }
        }

        Z at(double d) {
            double[] combined = new double[x.length + y.length];
            for (int i = 0; i < x.length; i++) {
                combined[i] = x[i] - d;
            }
            System.arraycopy(y, 0, combined, x.length, y.length);
            double[] ranks = RANKING.rank(combined);
            double rankSum = 0;
            for (int i = 0; i < x.length; i++) {
                rankSum += ranks[i];
            }
            double w = rankSum - nx * (nx + 1) / 2;
            double dz = w - nx * ny / 2;
            double n = nx + ny;
            double sigma = Math.sqrt((nx * ny / 12) * ((n + 1) - ties(ranks) / (n * (n - 1))));
            return new Z(w, dz, sigma);
        }

        /** Sum of t^3 - t over groups of t equal ranks (R's table(r)), in doubles so that no count overflows. */
        private static double ties(double[] ranks) {
            double[] sorted = ranks.clone();
            Arrays.sort(sorted);
            double sum = 0;
            int i = 0;
            while (i < sorted.length) {
                int j = i;
                while (j < sorted.length && sorted[j] == sorted[i]) {
                    j++;
                }
                double t = j - i;
                sum += t * t * t - t;
                i = j;
            }
            return sum;
        }
    }
}
