package dev.serin.rest.auth;

import java.util.List;

/** Who makes a request, as the API server's TokenReview says (or "anonymous" with serin.api.auth=none). */
public record Caller(String username, String uid, List<String> groups) {
    public static final Caller ANONYMOUS = new Caller("anonymous", null, List.of());

    public Caller {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    @Override
    public String toString() {
        return groups.isEmpty() ? username : username + " " + groups;
    }
}
