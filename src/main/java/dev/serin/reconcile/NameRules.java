package dev.serin.reconcile;

import dev.serin.api.v1alpha1.Canary;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the API server accepts for the names and label values Serin derives from a Canary, checked before
 * anything is written: it would otherwise refuse the canary Deployment on every pass. The one place these rules live:
 * the controller and the REST API both ask here. Pure.
 */
public final class NameRules {
    static final String SUFFIX = "-canary";
    /** {@code <name>-canary} must stay within a DNS-1123 label's 63 characters. */
    public static final int MAX_NAME = 63 - SUFFIX.length();
    public static final int MAX_LABEL_VALUE = 63;
    /** The API server's limit on a DNS-1123 subdomain, the name of a Deployment. */
    public static final int MAX_SUBDOMAIN = 253;
    private static final String DNS_LABEL_FORMAT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS_LABEL = Pattern.compile(DNS_LABEL_FORMAT);
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(DNS_LABEL_FORMAT + "(\\." + DNS_LABEL_FORMAT + ")*");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private NameRules() {
    }

    /** Why {@code name} cannot name a Canary, if it cannot. */
    public static Optional<String> canaryName(String name) {
        if (!DNS_LABEL.matcher(name).matches()) {
            return Optional.of("Canary name " + name + " must be a DNS-1123 label (lower-case letters, digits and '-',"
                    + " starting and ending with a letter or digit): it names Deployment " + name + SUFFIX
                    + " and is the value of the label " + Canary.CANARY_LABEL);
        }
        if (name.length() > MAX_NAME) {
            return Optional.of("Canary name " + name + " has " + name.length() + " characters; at most " + MAX_NAME
                    + " are allowed, so that Deployment " + name + SUFFIX + " stays within 63");
        }
        return Optional.empty();
    }

    /**
     * Why {@code name} cannot name a Deployment, if it cannot: Deployment names are DNS-1123 subdomains (dots
     * allowed, at most 253 characters), as the API server's ValidateDeploymentName has them.
     */
    public static Optional<String> deploymentName(String name) {
        if (name.length() > MAX_SUBDOMAIN || !DNS_SUBDOMAIN.matcher(name).matches()) {
            return Optional.of("Deployment name " + name + " must be a DNS-1123 subdomain (at most " + MAX_SUBDOMAIN
                    + " lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)");
        }
        return Optional.empty();
    }

    /** Why {@code value} is not a valid Kubernetes label value, if it is not. */
    public static Optional<String> labelValue(String value) {
        if (value.length() > MAX_LABEL_VALUE || !LABEL_VALUE.matcher(value).matches()) {
            return Optional.of(value + " is not a valid label value (at most " + MAX_LABEL_VALUE + " letters, digits,"
                    + " '-', '_' or '.', starting and ending with a letter or digit)");
        }
        return Optional.empty();
    }
}
