package dev.serin.strict.rbac;

import java.util.List;

/** A user name and groups as the API server's authenticator hands them to RBAC. */
public record Identity(String user, List<String> groups) {
    /** Serin's own ServiceAccount (k8s/serviceaccount.yaml), whose token the controller and its REST API use. */
    public static final Identity SERIN = serviceAccount("serin-system", "serin");

    /** What a ServiceAccount token authenticates as on a real cluster. */
    public static Identity serviceAccount(String namespace, String name) {
        return new Identity("system:serviceaccount:" + namespace + ":" + name,
                List.of("system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated"));
    }
}
