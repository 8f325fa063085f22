package dev.serin.autopilot;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.serin.Fixture;
import dev.serin.TestClock;
import dev.serin.api.v1alpha1.AnalysisRecord;
import dev.serin.api.v1alpha1.AnalysisSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.DatadogSpec;
import dev.serin.prometheus.LocalPrometheus;
import dev.serin.reconcile.Conditions;
import dev.serin.reconcile.Controller;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Canary analysed from Datadog on the strict API server: Serin reads its keys from the one Secret k8s/ lets it read
 * (serin-system/serin-datadog, RBAC from k8s/ with resourceNames) and sends them to Datadog (a local stub named by
 * serin.analysis.datadog.base-url); without the Secret the check is inconclusive and says what to create.
 */
@QuarkusTest
@WithStrictApiServer
@TestProfile(StubAnalysisBackends.class)
class DatadogScenarioTest {
    static final Duration DEADLINE = Duration.ofSeconds(15);
    static final String PORT = "serin.test.datadog.port";

    static synchronized int port() {
        if (System.getProperty(PORT) == null) {
            try {
                System.setProperty(PORT, String.valueOf(LocalPrometheus.freePort()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Integer.parseInt(System.getProperty(PORT));
    }

    static HttpServer datadog;
    static final List<Map<String, List<String>>> headers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startStub() throws IOException {
        datadog = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port()), 0);
        datadog.createContext("/api/v2/query/scalar", ex -> {
            headers.add(Map.copyOf(ex.getRequestHeaders()));
            byte[] b = ("{\"data\":{\"type\":\"scalar_response\",\"attributes\":{\"columns\":[{\"name\":\"a\","
                    + "\"type\":\"number\",\"values\":[500.0]}]}}}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(b);
            }
        });
        datadog.start();
    }

    @AfterAll
    static void stopStub() {
        if (datadog != null) {
            datadog.stop(0);
        }
    }

    @Strict
    KubernetesClient client;
    @Inject
    Controller controller;
    @Inject
    Autopilot autopilot;
    @Inject
    TestClock clock;
    @Inject
    ScriptedAnalysis analysis;

    AnalysisRecord check(Fixture f) {
        List<AnalysisRecord> before = f.getCanary("api").getStatus().analysis;
        int n = before == null ? 0 : before.size();
        clock.advance(Duration.ofMinutes(5));
        AutopilotRuns.tick(controller, autopilot, DEADLINE);
        await().atMost(DEADLINE).until(() -> {
            List<AnalysisRecord> now = f.getCanary("api").getStatus().analysis;
            return now != null && (now.size() > n || n == 5 && !Objects.equals(now.get(4).time, before.get(4).time));
        });
        List<AnalysisRecord> records = f.getCanary("api").getStatus().analysis;
        return records.get(records.size() - 1);
    }

    @Test
    void theKeysComeFromSerinsOneSecret() {
        Fixture f = new Fixture(client).service("api", 40);
        Canary c = f.canary("api", "api", 1, "v2");
        c.getSpec().canary.replicas = 1;
        AutopilotRuns.autopilot(c, List.of(1.0, 5.0, 10.0), "5m", null);
        c.getSpec().autopilot.analysis = new AnalysisSpec();
        c.getSpec().autopilot.analysis.datadog = new DatadogSpec();
        c.getSpec().autopilot.analysis.datadog.site = DatadogSpec.Site.EU1;
        c.getSpec().autopilot.analysis.minRequests = 100;
        analysis.real(f.namespace, "api");
        f.create(c);
        f.markReady("api-canary");
        await().atMost(DEADLINE).until(() -> f.getCanary("api").getStatus() != null
                && Conditions.isTrue(f.getCanary("api").getStatus().conditions, "Valid")
                && Double.valueOf(1).equals(f.getCanary("api").getStatus().weight));
        AutopilotRuns.tick(controller, autopilot, DEADLINE);
        await().atMost(DEADLINE).until(() -> Objects.equals(0, f.getCanary("api").getStatus().stepIndex));

        AnalysisRecord missing = check(f);
        assertEquals("Inconclusive", missing.result);
        assertEquals("Secret serin-system/serin-datadog not found: create it with the keys api-key and app-key",
                missing.metrics.get(0).message);
        assertEquals(List.of(), headers, "nothing sent to Datadog without keys");
        assertEquals(1.0, f.getCanary("api").getSpec().weight);

        if (client.namespaces().withName("serin-system").get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("serin-system").endMetadata()
                    .build()).create();
        }
        client.secrets().inNamespace("serin-system").resource(new SecretBuilder().withNewMetadata()
                .withName("serin-datadog").endMetadata()
                .addToStringData("api-key", "dd-api-123").addToStringData("app-key", "dd-app-456").build()).create();
        AnalysisRecord pass = check(f);
        assertEquals("Pass", pass.result, pass.metrics.toString());
        assertEquals(500.0, pass.metrics.get(0).value);
        assertEquals(List.of("dd-api-123"), headers.get(0).get("Dd-api-key"));
        assertEquals(List.of("dd-app-456"), headers.get(0).get("Dd-application-key"));
        await().atMost(DEADLINE).until(() -> Double.valueOf(5).equals(f.getCanary("api").getSpec().weight));
        assertTrue(Conditions.isTrue(f.getCanary("api").getStatus().conditions, "Valid"),
                "no Prometheus URL needed with datadog");
        client.resources(Canary.class).inNamespace(f.namespace).withName("api").delete();
        client.secrets().inNamespace("serin-system").withName("serin-datadog").delete();
    }
}
