package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.Tester;
import dev.serin.traffic.Testers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tester routes a Canary asks for (spec.testers, spec.sticky) in the routers' mesh-neutral form, and when they
 * may exist: exactly while the canary has ready pods, so that no request is sent where it cannot land.
 */
public final class TesterPlan {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    private TesterPlan() {
    }

    /** What the routes should carry: the Canary's testers while {@code readyPods} > 0, else none. */
    public static Testers desired(Canary canary, String canaryVersion, int readyPods) {
        return readyPods > 0 ? of(canary.getSpec(), canaryVersion) : Testers.NONE;
    }

    /** The testers of a spec; the sticky cookie's value is the canary's version. */
    public static Testers of(CanarySpec spec, String canaryVersion) {
        List<Testers.Match> matches = new ArrayList<>();
        for (Tester t : spec.testers == null ? List.<Tester>of() : spec.testers) {
            if (t.header != null) {
                matches.add(Testers.Match.header(t.header.name, t.header.value, Boolean.TRUE.equals(t.header.regex)));
            } else if (t.cookie != null) {
                matches.add(Testers.Match.cookie(t.cookie.name, t.cookie.value));
            }
        }
        Testers.Sticky sticky = spec.sticky == null || spec.sticky.cookie == null ? null
                : new Testers.Sticky(spec.sticky.cookie, canaryVersion, seconds(spec.sticky.maxAge));
        return new Testers(matches, sticky);
    }

    /**
     * maxAge in whole seconds (at least 1), in the two forms the CRD accepts (Rules.DURATION_PATTERN: 1h30m or PT1H30M);
     * read here because reconcile may not use the autopilot's Durations.
     */
    static long seconds(String maxAge) {
        String value = maxAge == null ? "1h" : maxAge.trim();
        Duration d;
        if (value.toUpperCase(Locale.ROOT).startsWith("PT")) {
            d = Duration.parse(value.toUpperCase(Locale.ROOT));
        } else {
            long millis = 0;
            Matcher m = PART.matcher(value);
            while (m.find()) {
                double amount = Double.parseDouble(m.group(1));
                millis += (long) (amount * switch (m.group(2)) {
                    case "ms" -> 1;
                    case "s" -> 1_000;
                    case "m" -> 60_000;
                    default -> 3_600_000;
                });
            }
            d = Duration.ofMillis(millis);
        }
        return Math.max(1, d.getSeconds());
    }
}
