package dev.serin.rest.auth;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether serin.api.auth may be {@code none} on the host the HTTP server listens on: only on loopback, so nobody but
 * the local machine can reach an API that checks no one. Host names other than {@code localhost} are refused without
 * resolving them (a name can change what it points to).
 */
public final class LoopbackOnly {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:.]*:[0-9a-fA-F:.]*]?");

    private LoopbackOnly() {
    }

    /** Why this combination must not start, or empty when it may. */
    public static Optional<String> refusal(AuthMode mode, String host) {
        if (mode != AuthMode.none || isLoopback(host)) {
            return Optional.empty();
        }
        return Optional.of("serin.api.auth=none is allowed only when the HTTP server listens on loopback, but "
                + "quarkus.http.host is " + host + ": anyone who can reach the port could change every canary. "
                + "Set quarkus.http.host=127.0.0.1, or use serin.api.auth=kubernetes.");
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (!IP_LITERAL.matcher(h).matches()) {
            return false;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
