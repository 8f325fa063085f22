package dev.serin.autopilot.analysis;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Serin's Datadog keys: keys {@code api-key} and {@code app-key} of one Secret in Serin's own namespace, named by
 * serin.analysis.datadog.secret (default {@code serin-datadog}). A Canary cannot name another Secret, and k8s/ grants
 * {@code get} on this one name only. Read at each analysis, so a rotated key is used at the next check.
 */
@ApplicationScoped
public class DatadogKeys {
    public static final String API_KEY = "api-key";
    public static final String APP_KEY = "app-key";

    /** The keys, or why there are none. */
    public record Read(DatadogApi.Keys keys, String problem) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String secret;

    @Inject
    public DatadogKeys(KubernetesClient client,
            @ConfigProperty(name = "serin.analysis.datadog.secret", defaultValue = "serin-datadog") String secret,
            @ConfigProperty(name = "serin.analysis.datadog.namespace") Optional<String> namespace) {
        this.client = client;
        this.secret = secret.strip();
        // Serin's own namespace: k8s/deployment.yaml passes it as POD_NAMESPACE
        this.namespace = namespace.map(String::strip).filter(s -> !s.isEmpty())
                .or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
                .orElseGet(() -> Optional.ofNullable(client.getNamespace()).orElse("default"));
    }

    /** namespace/name of the Secret, for messages. */
    public String where() {
        return namespace + "/" + secret;
    }

    public Read read() {
        Secret s;
        try {
            s = client.secrets().inNamespace(namespace).withName(secret).get();
        } catch (KubernetesClientException e) {
            return new Read(null, e.getCode() == 403
                    ? "Serin may not read Secret " + where() + " (k8s/ grants get on that one Secret)"
                    : "cannot read Secret " + where() + ": HTTP " + e.getCode());
        }
        if (s == null) {
            return new Read(null, "Secret " + where() + " not found: create it with the keys " + API_KEY + " and "
                    + APP_KEY);
        }
        String api = value(s, API_KEY);
        String app = value(s, APP_KEY);
        if (api == null || app == null) {
            return new Read(null, "Secret " + where() + " needs the keys " + API_KEY + " and " + APP_KEY);
        }
        return new Read(new DatadogApi.Keys(api, app), null);
    }

    private static String value(Secret s, String key) {
        Map<String, String> data = s.getData();
        if (data != null && data.get(key) != null) {
            try {
                String v = new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8).strip();
                return v.isEmpty() ? null : v;
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        Map<String, String> plain = s.getStringData();
        String v = plain == null ? null : plain.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }
}
