package dev.serin.autopilot;

import dev.serin.api.v1alpha1.Rules;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader of durations, for every field and query parameter: the Kubernetes form ({@code 500ms}, {@code 30s},
 * {@code 1h30m}, {@code 1.5h}) and ISO-8601's ({@code PT30S}, {@code PT1M30S}, {@code PT0.5S}). It accepts exactly
 * what the CRD's pattern {@link Rules#DURATION_PATTERN} admits, so the API server and Serin never disagree.
 */
public final class Durations {
    private static final Pattern ACCEPTED = Pattern.compile(Rules.DURATION_PATTERN);
    private static final Pattern KUBERNETES = Pattern.compile(Rules.KUBERNETES_DURATION);
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    /** How a problem or condition names the accepted forms. */
    public static final String EXAMPLES = "500ms, 30s, 1m30s, 1h or PT1M30S";

    private Durations() {
    }

    /** The duration {@code text} names, or empty when it is absent, blank or not a duration. */
    public static Optional<Duration> parse(String text) {
        if (text == null || !ACCEPTED.matcher(text.trim()).matches()) {
            return Optional.empty();
        }
        String value = text.trim();
        if (!KUBERNETES.matcher(value).matches()) {
            return Optional.of(Duration.parse(value.toUpperCase(Locale.ROOT))); // ISO-8601, as the pattern restricts it
        }
        Matcher m = PART.matcher(value);
        long millis = 0;
        while (m.find()) {
            double amount = Double.parseDouble(m.group(1));
            millis += (long) (amount * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                default -> 3_600_000;
            });
        }
        return Optional.of(Duration.ofMillis(millis));
    }
}
