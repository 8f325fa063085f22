package dev.serin.autopilot.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

/**
 * The test against numbers computed independently with R 4.2.2 (Debian's r-base-core 4.2.2.20221110):
 * {@code wilcox.test(x, y, exact = FALSE, correct = TRUE, conf.int = TRUE, conf.level = 0.98)}, printed with
 * {@code format(..., digits = 17)}. W and the p-value agree to 1e-9 relative. The estimate and the interval's ends are
 * roots of a step function that R's uniroot finds only to {@code tol.root = 1e-4}; both R's and this answer lie within
 * 1e-4 of the same jump, so they agree to 2e-4 absolute.
 */
public class MannWhitneyTest {
    static final double CONFIDENCE = 0.98;
    static final double RELATIVE = 1e-9;
    static final double ROOT = 2e-4;

    public static final double[] CANARY = {112.4, 118.9, 105.2, 131.7, 124.3, 109.8, 127.5, 140.1, 115.6, 121.0, 133.9, 108.3,
        126.2, 119.4, 137.8, 122.7, 114.5, 129.9, 117.2, 135.4, 111.1, 125.8, 130.6, 120.3, 116.8};
    public static final double[] STABLE = {101.3, 97.8, 108.6, 104.2, 99.5, 110.9, 95.4, 106.7, 102.8, 100.1, 112.3, 98.6,
        105.5, 103.9, 96.2, 109.4, 107.1, 101.9, 94.8, 111.6, 99.9, 104.7};

    static void assertR(MannWhitney.Result r, double w, double p, double estimate, double lower, double upper) {
        assertEquals(w, r.w(), Math.abs(w) * RELATIVE, "W");
        assertEquals(p, r.pValue(), Math.abs(p) * RELATIVE, "p-value");
        assertEquals(estimate, r.estimate(), ROOT, "estimate");
        assertEquals(lower, r.lower(), ROOT, "lower end");
        assertEquals(upper, r.upper(), ROOT, "upper end");
    }

    @Test
    void unequalSizesWithoutTies() {
        // R: W=532 p=4.5360828208060729e-08 est=18.800040133426769 lo=12.699964604085046 hi=24.89990968926768
        assertR(MannWhitney.test(CANARY, STABLE, CONFIDENCE),
                532, 4.5360828208060729e-08, 18.800040133426769, 12.699964604085046, 24.89990968926768);
    }

    @Test
    void swappedSamplesMirrorTheShift() {
        // R: wilcox.test(stable, canary, ...): W=18 p=4.5360828208060729e-08 est=-18.800026282678704
        //    lo=-24.89990968926768 hi=-12.699964604085046
        assertR(MannWhitney.test(STABLE, CANARY, CONFIDENCE),
                18, 4.5360828208060729e-08, -18.800026282678704, -24.89990968926768, -12.699964604085046);
    }

    @Test
    void ties() {
        double[] canary = {3, 4, 4, 5, 5, 5, 6, 6, 7, 8, 4, 5, 6, 5, 5, 4, 6, 7, 5, 6};
        double[] stable = {3, 3, 4, 4, 4, 5, 5, 5, 5, 6, 4, 3, 5, 4, 4, 5, 6, 4, 3, 5, 4};
        // R: W=305.5 p=0.0101380253175095 est=0.99994268605647663 lo=5.7055166017720257e-05 hi=1.999949730292361
        assertR(MannWhitney.test(canary, stable, CONFIDENCE),
                305.5, 0.0101380253175095, 0.99994268605647663, 5.7055166017720257e-05, 1.999949730292361);
    }

    @Test
    void overlappingSamples() {
        double[] canary = {10.2, 9.8, 10.5, 10.1, 9.9, 10.0, 10.3, 9.7, 10.4, 10.2, 9.6, 10.1, 10.0, 9.9, 10.3, 10.6,
            9.8, 10.2, 10.1, 9.9};
        double[] stable = {10.1, 10.0, 9.9, 10.4, 9.7, 10.2, 10.3, 9.8, 10.0, 10.5, 10.1, 9.9, 10.2, 9.6, 10.3, 10.0,
            10.1, 9.8, 10.4, 10.2};
        // R: W=199.5 p=1 est=-2.8399488955467915e-05 lo=-0.2000348403827894 hi=0.20003096525662917
        assertR(MannWhitney.test(canary, stable, CONFIDENCE),
                199.5, 1, -2.8399488955467915e-05, -0.2000348403827894, 0.20003096525662917);
    }

    @Test
    void tinySamplesGiveTheRangeEnds() {
        // R: W=7 p=0.85968379519866622 est=0.50008957673196941 lo=-2.5 hi=8 (the ends: min(x)-max(y), max(x)-min(y))
        assertR(MannWhitney.test(new double[] {1.5, 2.5, 9.0}, new double[] {1.0, 2.0, 3.0, 4.0}, CONFIDENCE),
                7, 0.85968379519866622, 0.50008957673196941, -2.5, 8);
        // R: W=6 p=0.21129954733371048 est=97.5 lo=95 hi=100
        assertR(MannWhitney.test(new double[] {200}, new double[] {100, 101, 102, 103, 104, 105}, CONFIDENCE),
                6, 0.21129954733371048, 97.5, 95, 100);
    }

    @Test
    void moreThan1290EqualValues() {
        // 2700 values of 100: t^3 overflows an int (Hipparchus' MannWhitneyUTest gets the variance wrong here)
        double[] canary = DoubleStream.concat(DoubleStream.generate(() -> 100).limit(1400),
                DoubleStream.of(99.5, 99, 98.5, 97, 99.9)).toArray();
        double[] stable = DoubleStream.concat(DoubleStream.generate(() -> 100).limit(1300),
                DoubleStream.of(99.8, 99.7, 99.6, 99.95, 100)).toArray();
        // R: W=916303 p=0.82095396530885312 est=-3.8900265700653127e-06 lo=-6.6015365487193567e-05
        //    hi=8.3109988515944224e-05
        assertR(MannWhitney.test(canary, stable, CONFIDENCE),
                916303, 0.82095396530885312, -3.8900265700653127e-06, -6.6015365487193567e-05, 8.3109988515944224e-05);
    }

    @Test
    void twoDifferentConstantsHaveAPValueButNoInterval() {
        double[] fives = new double[20];
        double[] threes = new double[22];
        Arrays.fill(fives, 5);
        Arrays.fill(threes, 3);
        // R: W=440 p=1.6744233056401262e-10, and "cannot compute confidence interval when all observations are tied"
        assertThrows(IllegalArgumentException.class, () -> MannWhitney.test(fives, threes, CONFIDENCE));
    }

    @Test
    void refusesWhatRWouldDrop() {
        assertThrows(IllegalArgumentException.class, () -> MannWhitney.test(new double[] {1, Double.NaN}, STABLE, CONFIDENCE));
        assertThrows(IllegalArgumentException.class, () -> MannWhitney.test(new double[0], STABLE, CONFIDENCE));
    }
}
