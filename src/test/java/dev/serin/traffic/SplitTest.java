package dev.serin.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class SplitTest {
    @Test
    void everyWeightFrom0To100InHundredthsGivesAnExactReducedRatio() {
        for (int bp = 0; bp <= Weight.FULL; bp++) {
            Split split = Split.relative(new Weight(bp));
            assertFalse(split.stable() == 0 && split.canary() == 0, "both zero at " + bp);
            // exact: canary / (stable + canary) == bp / 10000, by cross-multiplication
            assertEquals((long) split.canary() * Weight.FULL, (long) bp * (split.stable() + split.canary()), "inexact at " + bp);
            assertEquals(1, BigInteger.valueOf(split.stable()).gcd(BigInteger.valueOf(split.canary())).intValue(),
                    "not reduced at " + bp);
            assertEquals(bp, split.share().basisPoints());
        }
    }

    @Test
    void theRatiosPeopleAskFor() {
        assertEquals(new Split(97, 3), Split.relative(Weight.ofPercent(3).orElseThrow()));
        assertEquals(new Split(399, 1), Split.relative(Weight.ofPercent(0.25).orElseThrow()));
        assertEquals(new Split(7, 1), Split.relative(Weight.ofPercent(12.5).orElseThrow()));
        assertEquals(new Split(199, 1), Split.relative(Weight.ofPercent(0.5).orElseThrow()));
        assertEquals(new Split(1, 0), Split.relative(Weight.ZERO));
        assertEquals(new Split(0, 1), Split.relative(Weight.ALL));
    }

    @Test
    void percentModeWritesWholePercentsSummingTo100AndRefusesFractions() {
        assertEquals(new Split(97, 3), Split.percent(Weight.ofPercent(3).orElseThrow()).orElseThrow());
        assertEquals(new Split(50, 50), Split.percent(Weight.ofPercent(50).orElseThrow()).orElseThrow());
        assertEquals(new Split(1, 0), Split.percent(Weight.ZERO).orElseThrow());
        // a value, not an exception: the reconcile reports it as TrafficApplied=False
        Outcome<Split> fraction = Split.percent(Weight.ofPercent(0.25).orElseThrow());
        assertEquals(Refusal.WEIGHT_NOT_WHOLE_PERCENT, fraction.refusal().reason());
        assertTrue(fraction.refusal().message().startsWith("weight 0.25 % is not a whole percent"), fraction.refusal().message());
    }

    @Test
    void weightsOutsideTheRangeOrWithMoreThanTwoDecimalsAreRefused() {
        assertTrue(Weight.ofPercent(0.25).isPresent());
        assertTrue(Weight.ofPercent(100).isPresent());
        assertTrue(Weight.ofPercent(0.1 + 0.2).isEmpty()); // 0.30000000000000004 is not a weight anybody meant
        assertTrue(Weight.ofPercent(0.255).isEmpty());
        assertTrue(Weight.ofPercent(-1).isEmpty());
        assertTrue(Weight.ofPercent(100.01).isEmpty());
        assertTrue(Weight.ofPercent(Double.NaN).isEmpty());
        assertEquals("0.25", Weight.ofPercent(0.25).orElseThrow().toString());
        assertEquals("3", Weight.ofPercent(3.0).orElseThrow().toString());
    }
}
