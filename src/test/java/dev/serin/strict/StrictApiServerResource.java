package dev.serin.strict;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceConfigurableLifecycleManager;
import java.util.Map;

/**
 * Starts a {@link StrictApiServer} for the test classes that share it ({@link WithStrictApiServer}) and points Serin's
 * client at it, as Serin's ServiceAccount.
 */
public class StrictApiServerResource implements QuarkusTestResourceConfigurableLifecycleManager<WithStrictApiServer> {
    private String istio = StrictApiServer.DEFAULT_ISTIO;
    private String gatewayApi = StrictApiServer.DEFAULT_GATEWAY_API;
    private StrictApiServer server;

    @Override
    public void init(WithStrictApiServer annotation) {
        istio = annotation.istio();
        gatewayApi = annotation.gatewayApi();
    }

    @Override
    public Map<String, String> start() {
        // fabric8 reads these as system properties: never pick up a kubeconfig or a pod's token from the machine
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        server = StrictCluster.server(istio, gatewayApi).start();
        return Map.of(
                "quarkus.kubernetes-client.api-server-url", server.url(),
                "quarkus.kubernetes-client.token", StrictApiServer.SERIN_TOKEN,
                "quarkus.kubernetes-client.trust-certs", "true",
                "quarkus.kubernetes-client.namespace", "serin-system",
                "serin.leader-election.namespace", "serin-system");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(Strict.class, StrictApiServer.class));
        injector.injectIntoFields(server.admin(),
                new TestInjector.AnnotatedAndMatchesType(Strict.class, KubernetesClient.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
