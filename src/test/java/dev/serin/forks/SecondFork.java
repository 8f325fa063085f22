package dev.serin.forks;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The test classes the second test JVM runs (surefire runs {@link FirstFork} and this suite at once, each in a JVM of
 * its own): every class of the Quarkus applications below, so that each application is built in one JVM only
 * ({@link ForksTest} checks it). Chosen by measured class times so that both JVMs end about together.
 */
@Suite
@SelectPackages("dev.serin")
@IncludeClassNamePatterns(SecondFork.CLASSES)
public class SecondFork {
    /** Fully qualified names, as one regular expression (an annotation value must be a constant). */
    static final String CLASSES = "dev\\.serin\\.("
            // the playground with real analysis
            + "plugin\\.TourTest|plugin\\.PlaygroundHttpRouteTest"
            // the strict server with older CRD releases (V141 and IstioV1 use the default ones: first fork)
            + "|reconcile\\.GatewayApiV121Test|reconcile\\.IstioV1beta1Test"
            // the API layer's profiles
            + "|rest\\.CanaryAuthTest|rest\\.TestersApiTest|rest\\.CanaryApiTest|rest\\.NoAuthTest"
            + "|rest\\.ApiNamespaceScopeTest|rest\\.ApiServerErrorsTest|ui\\.DashboardTest"
            // one-class profiles and fabric8's mock server
            + "|reconcile\\.ApiRejectionTest|reconcile\\.RestartSettleTest|reconcile\\.NamespaceScopeTest"
            + "|reconcile\\.IstioMissingTest|observed\\.ObservedShareTest"
            // stub analysis backends
            + "|observed\\.IstioMetricsScopeTest|autopilot\\.SampleGateTest|autopilot\\.DatadogScenarioTest"
            // plain classes (run after the Quarkus ones)
            + "|plugin\\.KubectlCanaryPluginTest"
            + ")";
}
