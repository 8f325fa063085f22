package dev.serin.api.v1alpha1;

/** CEL rules and patterns the CRD puts on several fields, so that a real API server refuses what Serin cannot use. */
public final class Rules {
    /**
     * A weight with at most 2 decimals. Floating point makes {@code self * 100.0} of 0.29 be 28.999999999999996, so
     * the rule compares with the nearest whole number of hundredths within 1e-6 (CEL has no abs()); values outside
     * 0..100 are left to minimum/maximum, which also keeps int() from overflowing.
     */
    public static final String TWO_DECIMALS = "self < 0.0 || self > 100.0"
            + " || (self * 100.0 - double(int(self * 100.0 + 0.5)) < 0.000001"
            + " && double(int(self * 100.0 + 0.5)) - self * 100.0 < 0.000001)";

    /** Every item of a list of weights inside 0..100 with at most 2 decimals (the same test as TWO_DECIMALS). */
    public static final String EACH_A_WEIGHT = "self.all(x, x >= 0.0 && x <= 100.0"
            + " && x * 100.0 - double(int(x * 100.0 + 0.5)) < 0.000001"
            + " && double(int(x * 100.0 + 0.5)) - x * 100.0 < 0.000001)";

    /** Kubernetes' isSorted() allows equal neighbours; each value occurring once makes it strict. */
    public static final String STRICTLY_ASCENDING = "self.isSorted() && self.all(x, self.exists_one(y, y == x))";

    /** A duration as Kubernetes writes one (Go's time.ParseDuration, units h, m, s, ms): 500ms, 30s, 1.5h, 1h30m. */
    public static final String KUBERNETES_DURATION = "([0-9]+([.][0-9]+)?(ms|s|m|h))+";
    private static final String ISO_SECONDS = "[0-9]+([.][0-9]+)?[Ss]";
    /**
     * An ISO-8601 duration of hours, minutes and seconds, as java.time.Duration prints one (PT5M, PT1M30S, PT0.5S),
     * in either case; fractions on seconds only, no days and no sign, and never the empty PT.
     */
    public static final String ISO_DURATION = "[Pp][Tt]([0-9]+[Hh]([0-9]+[Mm])?(" + ISO_SECONDS + ")?|[0-9]+[Mm]("
            + ISO_SECONDS + ")?|" + ISO_SECONDS + ")";
    /**
     * Turns a duration string into what CEL's duration() reads (Go's form): PT1M30S is lowercased and loses its "pt",
     * giving 1m30s; the Kubernetes form has neither capitals nor "pt" and stays as it is. Kubernetes' CEL has
     * lowerAscii and replace (the strings extension).
     */
    private static final String AS_GO_DURATION = ".lowerAscii().replace('pt', '')";

    /** Every duration field: either form (dev.serin.autopilot.Durations reads exactly these). */
    public static final String DURATION_PATTERN = "^(" + KUBERNETES_DURATION + "|" + ISO_DURATION + ")$";

    /** Above zero; a value that misses the pattern gets only the pattern's error, not a CEL one too. */
    public static final String DURATION_ABOVE_ZERO = "!self.matches('" + DURATION_PATTERN + "')"
            + " || duration(self" + AS_GO_DURATION + ") > duration('0s')";

    /**
     * progressDeadline at least interval, each at its default when absent (5m and 10m, as the autopilot reads them);
     * values that miss the pattern get only the pattern's error.
     */
    public static final String DEADLINE_NOT_BELOW_INTERVAL = "!(has(self.interval) ? self.interval : '5m')"
            + ".matches('" + DURATION_PATTERN + "')"
            + " || !(has(self.progressDeadline) ? self.progressDeadline : '10m').matches('" + DURATION_PATTERN + "')"
            + " || duration((has(self.progressDeadline) ? self.progressDeadline : '10m')" + AS_GO_DURATION + ")"
            + " >= duration((has(self.interval) ? self.interval : '5m')" + AS_GO_DURATION + ")";

    /** A metric compared with the stable version has no fixed bounds. */
    public static final String COMPARE_OR_BOUNDS = "!has(self.compare) || (!has(self.min) && !has(self.max))";

    /** The judge's marginalScore at most its passScore, each at its default (75 and 95) when absent. */
    public static final String MARGINAL_NOT_ABOVE_PASS = "(has(self.marginalScore) ? self.marginalScore : 75.0)"
            + " <= (has(self.passScore) ? self.passScore : 95.0)";

    /** A Kubernetes label value (the canary pods carry it), at most 63 characters. */
    public static final String LABEL_VALUE_PATTERN = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

    /** name-canary names the canary Deployment and both are label values: 56 + "-canary" = 63. */
    public static final String NAME_LEAVES_ROOM_FOR_SUFFIX = "self.metadata.name.size() <= 56";

    /** Gateway API's HTTPRoutes or Istio's VirtualServices and DestinationRule, never both. */
    public static final String ONE_DIALECT = "!has(self.httpRoutes) || (!has(self.virtualServices)"
            + " && !has(self.destinationRule))";

    /**
     * With HTTPRoutes, <name>-stable and <name>-canary name Services, so the name must be a DNS-1035 label (start with
     * a letter, no dots); its length is NAME_LEAVES_ROOM_FOR_SUFFIX's.
     */
    public static final String NAME_FITS_SERVICES = "!has(self.spec.traffic) || !has(self.spec.traffic.httpRoutes)"
            + " || self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')";

    /**
     * A header name a tester may match: an HTTP token (Gateway API's HTTPHeaderName) in lowercase, as Istio documents
     * header match keys; valid for both dialects.
     */
    public static final String HEADER_NAME_PATTERN = "^[a-z0-9!#$%&'*+.^_`|~-]+$";

    /** A cookie name: an HTTP token (RFC 6265). */
    public static final String COOKIE_NAME_PATTERN = "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$";

    /** A cookie value: RFC 6265's cookie-octets (no space, quote, comma, semicolon or backslash), not empty. */
    public static final String COOKIE_VALUE_PATTERN = "^[A-Za-z0-9!#$%&'()*+./:<=>?@\\[\\]^_`{|}~-]+$";

    /** At most this many testers: each multiplies the matches of every route Serin splits. */
    public static final int MAX_TESTERS = 8;

    private Rules() {
    }
}
