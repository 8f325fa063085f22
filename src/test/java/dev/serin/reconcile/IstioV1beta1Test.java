package dev.serin.reconcile;

import dev.serin.strict.WithStrictApiServer;
import io.quarkus.test.junit.QuarkusTest;

/** Istio before 1.22 serves networking.istio.io/v1beta1 and v1alpha3, no v1: Serin uses v1beta1. */
@QuarkusTest
@WithStrictApiServer(istio = "1.21.6")
class IstioV1beta1Test extends IstioVersionTests {
    @Override
    String expectedVersion() {
        return "v1beta1";
    }
}
