package dev.serin.rest.auth;

import dev.serin.rest.problem.Problem;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What serin.api.auth=none still asks of a request, so that a web page open in the user's browser cannot use the API
 * (with auth=kubernetes the bearer token, which a browser never adds on its own, does that):
 * <ul>
 * <li>its Host is this machine by address — {@code localhost}, {@code 127.0.0.1} or {@code [::1]} with the port the
 * request came in on. A page whose own name was rebound to 127.0.0.1 (DNS rebinding) sends its name instead.</li>
 * <li>a change (any method but GET, HEAD and OPTIONS) says {@code Content-Type: application/json}. A page on another
 * site can send a form or plain text without asking, but JSON only after a CORS preflight, which Serin never
 * allows.</li>
 * </ul>
 * Pure.
 */
public final class LocalRequestCheck {
    private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private LocalRequestCheck() {
    }

    /**
     * Why this request is refused, or empty when it may go on.
     *
     * @param host the Host header (null when absent)
     * @param localPort the port of the connection the request came in on
     * @param https whether that connection is TLS (the port a Host without one means)
     */
    public static Optional<Problem> refusal(String method, String host, String contentType, int localPort,
            boolean https) {
        if (!addressedHere(host, localPort, https)) {
            return Optional.of(Problem.of(403, "host-not-local", "Host not allowed", "With serin.api.auth=none Serin "
                    + "answers only requests for localhost, 127.0.0.1 or [::1] on port " + localPort + ", not for "
                    + (host == null ? "no Host" : "Host " + host) + ": a web page reaching Serin under another name "
                    + "(DNS rebinding) must not use the API"));
        }
        if (!READS.contains(method.toUpperCase(Locale.ROOT)) && !isJson(contentType)) {
            return Optional.of(Problem.of(415, "json-required", "JSON required", "With serin.api.auth=none a " + method
                    + " must be sent with Content-Type: application/json (this one has "
                    + (contentType == null ? "none" : contentType) + "), which a web page on another site cannot send"
                    + " without Serin's consent"));
        }
        return Optional.empty();
    }

    static boolean addressedHere(String host, int localPort, boolean https) {
        if (host == null) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        String name = h;
        int port = https ? 443 : 80;
        if (colon > h.lastIndexOf(']')) { // a port, not a colon inside [::1]
            name = h.substring(0, colon);
            String digits = h.substring(colon + 1);
            if (!digits.matches("[0-9]{1,5}")) {
                return false;
            }
            port = Integer.parseInt(digits);
        }
        return LOCAL_HOSTS.contains(name) && port == localPort;
    }

    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
        return type.equalsIgnoreCase("application/json");
    }
}
