package dev.serin.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Serin's one Kubernetes client, as Quarkus would build it from {@code quarkus.kubernetes-client.*}, plus the
 * {@link FieldManager} on every request (fabric8 has no setting for a default field manager).
 */
public class KubernetesClientProducer {
    @Produces
    @Singleton
    KubernetesClient client(Config config, KubernetesSerialization serialization) {
        return new KubernetesClientBuilder().withConfig(config).withKubernetesSerialization(serialization)
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("serin-field-manager", new FieldManager()))
                .build();
    }

    void close(@Disposes KubernetesClient client) {
        client.close();
    }
}
