package dev.serin.strict;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated {@code @QuarkusTest} against a {@link StrictApiServer}: Serin's client authenticates as its
 * ServiceAccount and is held to the RBAC k8s/ grants it; objects are validated against Serin's CRD and Istio's.
 * Fields annotated {@link Strict} receive the server ({@link StrictApiServer}) or an administrator's client
 * ({@code KubernetesClient}).
 *
 * <p>Classes with the same {@link #istio()} and the same test profile share one server and one application
 * (scope MATCHING_RESOURCES: Quarkus restarts only when the next class's resources or profile differ, and its class
 * orderer runs the classes that share together). Each test therefore works in namespaces of its own, and what it arms
 * on the server (faults, an old CRD) it disarms when it ends.
 */
@WithTestResource(value = StrictApiServerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WithStrictApiServer {
    /** The Istio release whose CRDs the server installs (a file in ../shared/istio). */
    String istio() default StrictApiServer.DEFAULT_ISTIO;
}
