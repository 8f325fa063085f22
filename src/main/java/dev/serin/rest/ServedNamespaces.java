package dev.serin.rest;

import dev.serin.config.SerinConfig;
import dev.serin.rest.problem.Problem;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Set;

/**
 * The namespaces the REST API serves: those in serin.namespaces, or all when it is unset. Elsewhere the API answers
 * 404 exactly as for a namespace that does not exist, whatever the caller's rights.
 */
@Singleton
public class ServedNamespaces {
    private final Set<String> namespaces;

    public ServedNamespaces(SerinConfig config) {
        this.namespaces = Set.copyOf(config.namespaces().orElse(List.of()));
    }

    /** The namespaces in serin.namespaces; empty when it is unset (every namespace is served). */
    public Set<String> listed() {
        return namespaces;
    }

    public boolean serves(String namespace) {
        return namespaces.isEmpty() || namespaces.contains(namespace);
    }

    /** The same problem as for a namespace that does not exist. */
    public static Problem notServed(String namespace) {
        return Problem.of(404, "not-found", "Not found", "Namespace " + namespace + " does not exist");
    }
}
