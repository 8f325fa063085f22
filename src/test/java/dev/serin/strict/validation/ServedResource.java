package dev.serin.strict.validation;

/** One served version of a custom resource: what discovery lists and what the dispatcher routes on. */
public record ServedResource(String group, String version, String plural, String kind, boolean namespaced,
        boolean statusSubresource) {
}
