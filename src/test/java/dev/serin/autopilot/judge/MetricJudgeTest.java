package dev.serin.autopilot.judge;

import static dev.serin.autopilot.judge.Classification.HIGH;
import static dev.serin.autopilot.judge.Classification.INCONCLUSIVE;
import static dev.serin.autopilot.judge.Classification.LOW;
import static dev.serin.autopilot.judge.Classification.PASS;
import static dev.serin.autopilot.judge.Comparison.Direction.DECREASE;
import static dev.serin.autopilot.judge.Comparison.Direction.EITHER;
import static dev.serin.autopilot.judge.Comparison.Direction.INCREASE;
import static dev.serin.autopilot.judge.MannWhitneyTest.CANARY;
import static dev.serin.autopilot.judge.MannWhitneyTest.STABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

/** The classification of one metric, on the samples MannWhitneyTest checks against R. */
class MetricJudgeTest {
    static Comparison compare(Comparison.Direction direction, double allowedIncrease, double allowedDecrease) {
        return new Comparison(direction, allowedIncrease, allowedDecrease, false, false);
    }

    @Test
    void aSlowerCanaryIsHighWhenItsMeanRatioReachesTheAllowedIncrease() {
        // shift +18.8 (98 % interval 12.7 .. 24.9, from R) and mean ratio 1.183
        Judgement j = MetricJudge.classify(CANARY, STABLE, compare(INCREASE, 1.1, 1), 20);
        assertEquals(HIGH, j.classification(), j.message());
        assertEquals(25, j.canarySamples());
        assertEquals(22, j.stableSamples());
        assertEquals(121.0, j.canaryMedian());
        assertEquals((102.8 + 103.9) / 2, j.stableMedian(), 1e-12);
        assertEquals(DoubleStream.of(CANARY).average().orElseThrow() / DoubleStream.of(STABLE).average().orElseThrow(),
                j.effectSize(), 1e-12);
        assertEquals(12.7, j.lower(), 2e-4);
        assertEquals(24.9, j.upper(), 2e-4);
        assertEquals("canary higher than stable: shift +18.8 (98 % interval 12.7 .. 24.9), mean ratio 1.183, at least"
                + " the allowed 1.1", j.message());

        assertEquals(PASS, MetricJudge.classify(CANARY, STABLE, compare(INCREASE, 1.2, 1), 20).classification(),
                "a ratio of 1.183 is within an allowed increase of 1.2");
        assertEquals(PASS, MetricJudge.classify(CANARY, STABLE, compare(DECREASE, 1, 1), 20).classification(),
                "only a decrease is watched");
        assertEquals(HIGH, MetricJudge.classify(CANARY, STABLE, compare(EITHER, 1, 1), 20).classification());
    }

    @Test
    void aLowerCanaryIsLow() {
        Judgement j = MetricJudge.classify(STABLE, CANARY, compare(DECREASE, 1, 0.9), 20);
        assertEquals(LOW, j.classification(), j.message());
        assertEquals(PASS, MetricJudge.classify(STABLE, CANARY, compare(DECREASE, 1, 0.8), 20).classification(),
                "a ratio of 0.84 is within an allowed decrease of 0.8");
        assertEquals(PASS, MetricJudge.classify(STABLE, CANARY, compare(INCREASE, 1, 1), 20).classification());
    }

    @Test
    void aSignificantShiftSmallerThanAQuarterOfItselfPasses() {
        // R: p = 0.0101 < 0.02, but the interval 5.7e-05 .. 2.0 does not clear 0.25 × 1.0
        double[] canary = {3, 4, 4, 5, 5, 5, 6, 6, 7, 8, 4, 5, 6, 5, 5, 4, 6, 7, 5, 6};
        double[] stable = {3, 3, 4, 4, 4, 5, 5, 5, 5, 6, 4, 3, 5, 4, 4, 5, 6, 4, 3, 5, 4};
        Judgement j = MetricJudge.classify(canary, stable, compare(EITHER, 1, 1), 20);
        assertEquals(PASS, j.classification(), j.message());
        assertEquals(0.0101380253175095, j.pValue(), 1e-11);
    }

    @Test
    void identicalSamplesAndOneValueThroughoutPass() {
        double[] shuffled = STABLE.clone();
        Arrays.sort(shuffled);
        Judgement same = MetricJudge.classify(shuffled, STABLE, compare(EITHER, 1, 1), 20);
        assertEquals(PASS, same.classification());
        assertEquals("canary and stable samples are identical", same.message());

        double[] hundreds = DoubleStream.generate(() -> 100).limit(30).toArray();
        Judgement flat = MetricJudge.classify(hundreds, DoubleStream.generate(() -> 100).limit(25).toArray(),
                compare(EITHER, 1, 1), 20);
        assertEquals(PASS, flat.classification());
        assertEquals("canary and stable are 100 throughout", flat.message());
        assertEquals(30, flat.canarySamples());
    }

    @Test
    void twoDifferentConstantsDifferByTheirDifference() {
        double[] fives = DoubleStream.generate(() -> 5).limit(20).toArray();
        double[] threes = DoubleStream.generate(() -> 3).limit(22).toArray();
        Judgement j = MetricJudge.classify(fives, threes, compare(INCREASE, 1.5, 1), 20);
        assertEquals(HIGH, j.classification(), j.message());
        assertEquals(2.0, j.estimate());
        assertEquals(2.0, j.lower());
        assertEquals(2.0, j.upper());
        assertNull(j.pValue());
        assertEquals(PASS, MetricJudge.classify(fives, threes, compare(INCREASE, 1.7, 1), 20).classification(),
                "5 / 3 = 1.67 is within 1.7");
    }

    @Test
    void nanSamplesAreDropped() {
        double[] canary = DoubleStream.concat(DoubleStream.of(Double.NaN, Double.NaN), DoubleStream.of(CANARY)).toArray();
        double[] stable = DoubleStream.concat(DoubleStream.of(STABLE), DoubleStream.of(Double.NaN)).toArray();
        Judgement j = MetricJudge.classify(canary, stable, compare(INCREASE, 1.1, 1), 20);
        Judgement clean = MetricJudge.classify(CANARY, STABLE, compare(INCREASE, 1.1, 1), 20);
        assertEquals(clean, j, "R gives the same with and without the NaNs");
        assertEquals(25, j.canarySamples());
    }

    @Test
    void tooFewSamplesOnEitherSideIsInconclusive() {
        double[] sparse = DoubleStream.concat(DoubleStream.of(Arrays.copyOf(CANARY, 12)),
                DoubleStream.generate(() -> Double.NaN).limit(18)).toArray();
        Judgement j = MetricJudge.classify(sparse, STABLE, compare(INCREASE, 1, 1), 20);
        assertEquals(INCONCLUSIVE, j.classification());
        assertEquals("too few samples: canary 12, stable 22; at least 20 each needed to judge", j.message());
        assertEquals(12, j.canarySamples());
        assertNull(j.estimate());
        assertEquals(HIGH, MetricJudge.classify(sparse, STABLE, compare(INCREASE, 1, 1), 12).classification());
        assertEquals(INCONCLUSIVE, MetricJudge.classify(new double[0], STABLE, compare(INCREASE, 1, 1), 0)
                .classification(), "an empty side is never judged");
    }

    @Test
    void aZeroMeanLeavesTheIntervalToDecide() {
        double[] zeros = new double[25];
        Judgement j = MetricJudge.classify(CANARY, zeros, compare(INCREASE, 1000, 1), 20);
        assertNull(j.effectSize());
        assertEquals(HIGH, j.classification(), "no ratio to hold it back, however large allowedIncrease is");
    }

    @Test
    void outliersAreRemovedOnlyWhenAsked() {
        double[] withSpike = DoubleStream.concat(DoubleStream.of(STABLE), DoubleStream.of(5000)).toArray();
        Judgement kept = MetricJudge.classify(withSpike, STABLE, compare(EITHER, 1, 1), 20);
        assertEquals(23, kept.canarySamples(), "off by default");
        Judgement removed = MetricJudge.classify(withSpike, STABLE, new Comparison(EITHER, 1, 1, false, true), 20);
        assertEquals(22, removed.canarySamples(), "5000 lies beyond 3 × IQR above the third quartile");
        assertEquals("canary and stable samples are identical", removed.message());
    }
}
