package dev.serin.reconcile;

import dev.serin.strict.WithStrictApiServer;
import io.quarkus.test.junit.QuarkusTest;

/** Istio 1.22+ serves networking.istio.io/v1 (and v1beta1, v1alpha3): Serin uses v1. */
@QuarkusTest
@WithStrictApiServer(istio = "1.29.6")
class IstioV1Test extends IstioVersionTests {
    @Override
    String expectedVersion() {
        return "v1";
    }
}
