package dev.serin.rest.auth;

import java.util.List;
import java.util.Map;

/**
 * Who makes a request, as the API server's TokenReview says (or "anonymous" with serin.api.auth=none); extra is the
 * user's extra information, passed on to every SubjectAccessReview about them.
 */
public record Caller(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
    public static final Caller ANONYMOUS = new Caller("anonymous", null, List.of());

    public Caller {
        groups = groups == null ? List.of() : List.copyOf(groups);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public Caller(String username, String uid, List<String> groups) {
        this(username, uid, groups, Map.of());
    }

    @Override
    public String toString() {
        return groups.isEmpty() ? username : username + " " + groups;
    }
}
