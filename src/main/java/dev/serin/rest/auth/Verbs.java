package dev.serin.rest.auth;

/** Kubernetes RBAC verbs on canaries.serin.dev that the REST endpoints need. */
public final class Verbs {
    public static final String GET = "get";
    public static final String LIST = "list";
    /** Any change to an existing Canary: weight, and later pause, resume, abort, promote. */
    public static final String PATCH = "patch";
    public static final String CREATE = "create";
    public static final String DELETE = "delete";

    private Verbs() {
    }
}
