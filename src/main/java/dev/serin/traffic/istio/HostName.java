package dev.serin.traffic.istio;

/**
 * Istio host names: a short name, {@code name.ns}, {@code name.ns.svc} and
 * {@code name.ns.svc.cluster.local} all name the same service when written in namespace {@code ns}.
 */
public final class HostName {
    private static final String CLUSTER_SUFFIX = ".svc.cluster.local";

    private HostName() {
    }

    /** The fully qualified form of a host as Istio resolves it from a resource in {@code namespace}. */
    public static String qualify(String host, String namespace) {
        String h = host.trim().toLowerCase();
        if (h.endsWith(CLUSTER_SUFFIX)) {
            return h;
        }
        if (h.endsWith(".svc")) {
            return h + ".cluster.local";
        }
        int dots = h.length() - h.replace(".", "").length();
        if (dots == 0) {
            return h + "." + namespace + CLUSTER_SUFFIX;
        }
        if (dots == 1) {
            return h + CLUSTER_SUFFIX;
        }
        return h; // an external or mesh-wide name: compare as written
    }

    public static boolean same(String a, String b, String namespace) {
        return a != null && b != null && qualify(a, namespace).equals(qualify(b, namespace));
    }
}
