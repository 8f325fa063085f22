package dev.serin.traffic;

import java.util.ArrayList;
import java.util.List;

/**
 * Requests that go to the canary whatever the weight (a header or cookie match each), and the sticky cookie that keeps
 * users the weight sent there. Mesh-neutral: each router writes them in its own dialect beside every route it splits.
 *
 * @param matches the testers, in the Canary's order; empty when there is no tester route to write
 * @param sticky  the cookie canary responses set, null when none
 */
public record Testers(List<Match> matches, Sticky sticky) {
    /** No tester routes: what a router writes while the canary has no ready pods, and on a stop. */
    public static final Testers NONE = new Testers(List.of(), null);
    /** The header every cookie of a request travels in: neither dialect matches a cookie by itself. */
    public static final String COOKIE_HEADER = "cookie";

    public Testers {
        matches = List.copyOf(matches);
    }

    /** One request header condition: exact, or an RE2 regular expression over the whole value. */
    public record Match(String header, String value, boolean regex) {
        public static Match header(String name, String value, boolean regex) {
            return new Match(name, value, regex);
        }

        /** A cookie among the request's cookies: a regular expression on the cookie header finding name=value. */
        public static Match cookie(String name, String value) {
            return new Match(COOKIE_HEADER, cookieRegex(name, value), true);
        }
    }

    /**
     * The cookie canary responses set, {@code <cookie>=<value>}, kept for maxAge seconds; its value is the canary's
     * version, so a cookie from an earlier canary sends nobody to this one.
     */
    public record Sticky(String cookie, String value, long maxAgeSeconds) {
        /** The Set-Cookie header value canary responses carry. */
        public String setCookie() {
            return cookie + "=" + value + "; Max-Age=" + maxAgeSeconds + "; Path=/";
        }

        public Match match() {
            return Match.cookie(cookie, value);
        }
    }

    public boolean isEmpty() {
        return matches.isEmpty() && sticky == null;
    }

    /**
     * The matches a tester route carries beside a split: the testers, and the sticky cookie only while the split sends
     * users to the canary (weight 0 means no user on the canary, so a rollback to 0 drops it in the same write).
     */
    public List<Match> matchesFor(Split split) {
        List<Match> all = new ArrayList<>(matches);
        if (sticky != null && split.canary() > 0) {
            all.add(sticky.match());
        }
        return all;
    }

    /** Whether canary responses of this split set the sticky cookie. */
    public boolean setsCookie(Split split) {
        return sticky != null && split.canary() > 0;
    }

    /**
     * An RE2 expression matching the whole cookie header (cookies joined by "; ") when it holds {@code name=value}:
     * after the start or a semicolon, before the end or a semicolon. Every character but letters, digits and _ is
     * escaped, which RE2 (Envoy's safe_regex) and java.util.regex both read as the character itself.
     */
    public static String cookieRegex(String name, String value) {
        return "(.*;\\s*)?" + literal(name) + "=" + literal(value) + "(\\s*;.*)?";
    }

    private static String literal(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (!Character.isLetterOrDigit(c) && c != '_') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
