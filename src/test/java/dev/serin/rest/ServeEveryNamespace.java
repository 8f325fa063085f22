package dev.serin.rest;

import dev.serin.config.SerinConfig;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Alternative;

/**
 * For the tests that pin the REST layer alone ({@link KubernetesAuthProfile}, {@link NoAuthProfile}): they point the
 * controller at a namespace they never use (serin.namespaces) yet call the API in namespaces of their own, so the API
 * serves every namespace there. Enabled only by those profiles; {@link ApiNamespaceScopeTest} checks the real rule.
 */
@Alternative
@Singleton
public class ServeEveryNamespace extends ServedNamespaces {
    public ServeEveryNamespace(SerinConfig config) {
        super(config);
    }

    @Override
    public java.util.Set<String> listed() {
        return java.util.Set.of();
    }

    @Override
    public boolean serves(String namespace) {
        return true;
    }
}
