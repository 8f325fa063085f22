package dev.serin.strict.rbac;

import java.util.List;

/** A user name and groups as the API server's authenticator hands them to RBAC. */
public record Identity(String user, List<String> groups) {
    public static final String AUTHENTICATED = "system:authenticated";
    /** A cluster administrator: system:masters passes every authorization check on a real server. */
    public static final Identity ADMIN = new Identity("kubernetes-admin", List.of("system:masters", AUTHENTICATED));
    /** Serin's own ServiceAccount (k8s/serviceaccount.yaml), whose token the controller and its REST API use. */
    public static final Identity SERIN = serviceAccount("serin-system", "serin");

    /** What a ServiceAccount token authenticates as on a real cluster. */
    public static Identity serviceAccount(String namespace, String name) {
        return new Identity("system:serviceaccount:" + namespace + ":" + name,
                List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, AUTHENTICATED));
    }

    public boolean superuser() {
        return groups.contains("system:masters");
    }
}
