package dev.serin.traffic.gatewayapi;

/** The two Services Serin creates for a Canary on Gateway API; DNS-1035 labels when the Canary's name starts with a letter. */
public final class ServiceNames {
    private ServiceNames() {
    }

    public static String stable(String canary) {
        return canary + "-stable";
    }

    public static String canary(String canary) {
        return canary + "-canary";
    }
}
