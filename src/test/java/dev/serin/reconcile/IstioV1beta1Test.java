package dev.serin.reconcile;

import dev.serin.IstioDiscovery;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** Istio before 1.22 serves networking.istio.io/v1beta1 and v1alpha3, no v1: Serin uses v1beta1. */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = IstioDiscovery.V1beta1.class)
class IstioV1beta1Test extends IstioVersionTests {
    @Override
    String expectedVersion() {
        return "v1beta1";
    }
}
