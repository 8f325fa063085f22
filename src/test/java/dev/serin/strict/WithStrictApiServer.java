package dev.serin.strict;

import io.quarkus.test.common.QuarkusTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated {@code @QuarkusTest} against its own {@link StrictApiServer}: Serin's client authenticates as
 * its ServiceAccount and is held to the RBAC k8s/ grants it; objects are validated against Serin's CRD and Istio's.
 * Fields annotated {@link Strict} receive the server ({@link StrictApiServer}) or an administrator's client
 * ({@code KubernetesClient}).
 */
@QuarkusTestResource(value = StrictApiServerResource.class, restrictToAnnotatedClass = true)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WithStrictApiServer {
    /** The Istio release whose CRDs the server installs (a file in ../shared/istio). */
    String istio() default StrictApiServer.DEFAULT_ISTIO;
}
