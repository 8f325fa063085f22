package dev.serin.traffic;

/**
 * Integer destination weights for the stable and canary subsets. Istio treats weights as relative
 * proportions, so the smallest integers in the right ratio are exact; a zero side is left out of the route.
 */
public record Split(int stable, int canary) {
    /** Everything to the stable subset: the split of weight 0, whatever the weights are written as. */
    public static final Split STABLE_ONLY = new Split(1, 0);

    public Split {
        if (stable < 0 || canary < 0 || stable + canary == 0) {
            throw new IllegalArgumentException("invalid split " + stable + "/" + canary);
        }
        // a route with one destination carries no weight: every one-sided split is the same split
        if (stable == 0) {
            canary = 1;
        } else if (canary == 0) {
            stable = 1;
        }
    }

    /** The reduced integer ratio: 3 % gives 97/3, 0.25 % gives 399/1, 12.5 % gives 7/1. */
    public static Split relative(Weight weight) {
        int canary = weight.basisPoints();
        int stable = Weight.FULL - canary;
        int gcd = gcd(stable, canary);
        return new Split(stable / gcd, canary / gcd);
    }

    /**
     * Whole percents summing to 100, for tools or policies that expect them (serin.istio.percent-weights); refused
     * ({@link Refusal#WEIGHT_NOT_WHOLE_PERCENT}) for a weight that is none.
     */
    public static Outcome<Split> percent(Weight weight) {
        if (!weight.isWholePercent()) {
            return Outcome.refused(Refusal.WEIGHT_NOT_WHOLE_PERCENT, "weight " + weight + " % is not a whole percent, "
                    + "and with serin.istio.percent-weights Serin writes whole percents only; the routes are left as "
                    + "they are");
        }
        int canary = weight.basisPoints() / 100;
        return Outcome.of(new Split(100 - canary, canary));
    }

    /** The same ratio in its smallest integers: 90/10 gives 9/1. */
    public Split reduced() {
        int gcd = gcd(stable, canary);
        return new Split(stable / gcd, canary / gcd);
    }

    /** The canary share these destination weights give, rounded to hundredths of a percent. */
    public Weight share() {
        long hundredths = Math.round((double) canary * Weight.FULL / ((long) stable + canary));
        return new Weight((int) hundredths);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
