package dev.serin.traffic.istio;

import dev.serin.cluster.ClusterCache;
import dev.serin.cluster.IstioApi;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusMock;

/**
 * serin.istio.percent-weights=true for one test, in the tests' shared application: an {@link IstioRouter} made with it
 * stands in for the configured one until the test ends (QuarkusMock, called from {@code @BeforeEach}). A profile with
 * the setting would cost an application boot of its own.
 */
public final class PercentWeights {
    private PercentWeights() {
    }

    public static void install() {
        var beans = Arc.container();
        IstioRouter router = new IstioRouter(beans.instance(ClusterCache.class).get(), beans.instance(IstioApi.class).get(),
                beans.instance(IstioWriter.class).get(), beans.instance(IstioLeftovers.class).get(), true);
        QuarkusMock.installMockForType(router, IstioRouter.class);
    }
}
