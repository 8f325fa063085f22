package dev.serin.traffic;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * A canary share of traffic in hundredths of a percent (0..10000), the unit in which every weight Serin
 * handles is exact. 3 % is 300, 0.25 % is 25.
 */
public record Weight(int basisPoints) implements Comparable<Weight> {
    public static final int FULL = 10_000;
    public static final Weight ZERO = new Weight(0);
    public static final Weight ALL = new Weight(FULL);

    public Weight {
        if (basisPoints < 0 || basisPoints > FULL) {
            throw new IllegalArgumentException("weight out of range: " + basisPoints + " hundredths");
        }
    }

    /** Parses a percent; empty when it is outside 0..100 or has more than two decimals. */
    public static Optional<Weight> ofPercent(double percent) {
        if (Double.isNaN(percent) || Double.isInfinite(percent)) {
            return Optional.empty();
        }
        return ofPercent(BigDecimal.valueOf(percent));
    }

    public static Optional<Weight> ofPercent(BigDecimal percent) {
        BigDecimal hundredths = percent.movePointRight(2).stripTrailingZeros();
        if (hundredths.scale() > 0 || hundredths.signum() < 0 || hundredths.compareTo(BigDecimal.valueOf(FULL)) > 0) {
            return Optional.empty();
        }
        return Optional.of(new Weight(hundredths.intValueExact()));
    }

    public double percent() {
        return basisPoints / 100.0;
    }

    public boolean isWholePercent() {
        return basisPoints % 100 == 0;
    }

    @Override
    public int compareTo(Weight other) {
        return Integer.compare(basisPoints, other.basisPoints);
    }

    /** The percent as people write it: 3, 0.25, 12.5. */
    @Override
    public String toString() {
        return BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString();
    }
}
