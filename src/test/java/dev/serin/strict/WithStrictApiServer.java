package dev.serin.strict;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated {@code @QuarkusTest} against a {@link StrictApiServer}: Serin's client authenticates as
 * its ServiceAccount and is held to the RBAC k8s/ grants it; objects are defaulted and validated against Serin's CRD,
 * Istio's and Gateway API's HTTPRoute CRD.
 * Fields annotated {@link Strict} receive the server ({@link StrictApiServer}) or an administrator's client
 * ({@code KubernetesClient}).
 *
 * <p>Classes with the same {@link #istio()}, {@link #gatewayApi()} and test profile share one server and one application
 * (scope MATCHING_RESOURCES: Quarkus restarts only when the next class's resources or profile differ, and its class
 * orderer runs the classes that share together). Each test therefore works in namespaces of its own, and what it arms
 * on the server (faults, an old CRD) it disarms when it ends.
 */
@WithTestResource(value = StrictApiServerResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface WithStrictApiServer {
    /**
     * The Istio release whose CRDs the server installs (a file in ../shared/istio); {@link StrictApiServer#NONE}
     * for a cluster without Istio (networking.istio.io is not served).
     */
    String istio() default StrictApiServer.DEFAULT_ISTIO;

    /**
     * The Gateway API release whose HTTPRoute CRD the server installs (a file in ../shared/gateway-api, "1.2.1" or
     * "1.4.1"); {@link StrictApiServer#NONE} for a cluster without Gateway API (gateway.networking.k8s.io is not
     * served).
     */
    String gatewayApi() default StrictApiServer.DEFAULT_GATEWAY_API;
}
