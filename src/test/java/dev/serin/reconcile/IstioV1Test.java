package dev.serin.reconcile;

import dev.serin.IstioDiscovery;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** Istio 1.22+ serves networking.istio.io/v1 (and v1beta1, v1alpha3): Serin uses v1. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = IstioDiscovery.V1.class)
class IstioV1Test extends IstioVersionTests {
    @Override
    String expectedVersion() {
        return "v1";
    }
}
