package dev.serin.rest.problem;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An RBAC denial as the API server words it: {@code <resource>.<group> "<name>" is forbidden: User "<user>" cannot
 * <verb> resource "<resource>" in API group "<group>" in the namespace "<ns>"} (or {@code at the cluster scope}).
 * Pure.
 */
public record ForbiddenMessage(String user, String verb, String resource, String group, String namespace) {
    private static final Pattern DENIAL = Pattern.compile("User \"([^\"]*)\" cannot (\\S+) resource \"([^\"]*)\""
            + " in API group \"([^\"]*)\"(?: in the namespace \"([^\"]*)\")?");

    /** The denial in {@code message}; empty for any other refusal (a namespace being deleted, a webhook). */
    public static Optional<ForbiddenMessage> parse(String message) {
        if (message == null) {
            return Optional.empty();
        }
        Matcher m = DENIAL.matcher(message);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new ForbiddenMessage(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5)));
    }

    /** E.g. {@code create deployments (API group "apps") in namespace web}. */
    public String describe() {
        return verb + " " + resource + " (" + (group.isEmpty() ? "the core API group" : "API group \"" + group + "\"")
                + ")" + (namespace == null ? " at the cluster scope" : " in namespace " + namespace);
    }
}
