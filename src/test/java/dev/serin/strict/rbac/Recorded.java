package dev.serin.strict.rbac;

/** One line of a {@link PermissionRecorder} file: what a request used, whether RBAC allowed it, and the 403 message if not. */
public record Recorded(Permission permission, boolean allowed, String message) {
    private static final String ALLOWED = "allowed";
    private static final String DENIED = "denied";

    public static Recorded of(RequestAttributes request, Decision decision) {
        return new Recorded(Permission.of(request), decision.allowed(), decision.allowed() ? null : decision.reason());
    }

    /** Tab-separated: allowed|denied, verb, API group, resource, scope[, message]. */
    String line() {
        String fields = String.join("\t", allowed ? ALLOWED : DENIED, permission.verb(), permission.apiGroup(),
                permission.resource(), permission.scope());
        return allowed ? fields : fields + "\t" + message.replaceAll("[\t\r\n]", " ");
    }

    /** What deduplicates records: a permission used, and whether it was allowed (one denial message is enough). */
    String key() {
        return (allowed ? ALLOWED : DENIED) + "\t" + permission.verb() + "\t" + permission.apiGroup() + "\t"
                + permission.resource() + "\t" + permission.scope();
    }

    static Recorded parse(String line) {
        String[] f = line.split("\t", -1);
        boolean allowed = f[0].equals(ALLOWED);
        if ((!allowed && !f[0].equals(DENIED)) || f.length != (allowed ? 5 : 6)) {
            throw new IllegalArgumentException("not a permission record: " + line);
        }
        return new Recorded(new Permission(f[2], f[3], f[1], f[4]), allowed, allowed ? null : f[5]);
    }

    @Override
    public String toString() {
        return allowed ? "allowed " + permission : "DENIED " + permission + ": " + message;
    }
}
