package dev.serin.autopilot.analysis;

import java.net.URI;
import java.util.Locale;

/**
 * One entry of serin.analysis.prometheus.allowed: a URL prefix that admits a URL when scheme, host and port are equal
 * (an absent port is the scheme's default) and the prefix's path is a prefix of the URL's path by whole segments.
 * So {@code http://prom} admits {@code http://prom/x} but not {@code http://prom.evil}, and {@code http://prom/a} does
 * not admit {@code http://prom/ab}. URLs with user info, a query or a fragment are never admitted.
 */
public final class UrlPrefix {
    private UrlPrefix() {
    }

    public static boolean admits(String prefix, String url) {
        URI p = parse(prefix);
        URI u = parse(url);
        if (p == null || u == null) {
            return false;
        }
        return p.getScheme().equalsIgnoreCase(u.getScheme())
                && p.getHost().equalsIgnoreCase(u.getHost())
                && port(p) == port(u)
                && segmentsStartWith(path(u), path(p));
    }

    private static URI parse(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(s.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                    || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return null;
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    /** The path without trailing slashes; "" for none. */
    private static String path(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    private static boolean segmentsStartWith(String path, String prefix) {
        if (prefix.isEmpty()) {
            return true;
        }
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
