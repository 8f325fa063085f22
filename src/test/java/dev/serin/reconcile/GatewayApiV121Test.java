package dev.serin.reconcile;

import dev.serin.strict.WithStrictApiServer;
import io.quarkus.test.junit.QuarkusTest;

/** The Gateway API scenarios (testers too) with Gateway API v1.2.1's HTTPRoute CRD (its schema, defaults and CEL rules). */
@QuarkusTest
@WithStrictApiServer(gatewayApi = "1.2.1")
class GatewayApiV121Test extends GatewayApiTesterScenarios {
}
