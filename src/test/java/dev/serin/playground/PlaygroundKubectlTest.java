package dev.serin.playground;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.Canary;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real kubectl against the playground's API server (in-process, no Serin): what a newcomer will type. */
class PlaygroundKubectlTest {
    private static final Duration KUBECTL_TIMEOUT = Duration.ofSeconds(60);
    private static String kubectl;
    private static ApiServer server;
    private static KubernetesClient client;
    @TempDir
    static Path dir;
    private static Path kubeconfig;

    @BeforeAll
    static void start() {
        kubectl = findOnPath("kubectl");
        if (kubectl == null) {
            return; // every test reports itself skipped (see below)
        }
        server = new ApiServer().start(0);
        client = server.client();
        DemoSeed.seed(client);
        kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"), DemoSeed.NAMESPACE);
    }

    /** Per test rather than in @BeforeAll, so that each test shows up as skipped in the reports, with the reason. */
    @BeforeEach
    void needsKubectl() {
        Assumptions.assumeTrue(kubectl != null, "kubectl not on PATH; install it (Debian: apt-get install "
                + "kubernetes-client) to run the playground kubectl tests");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void getShowsTheSeededDemo() throws Exception {
        String yaml = ok("get", "deployment", "shop", "-o", "yaml");
        assertTrue(yaml.contains("replicas: 40"), yaml);
        assertTrue(yaml.contains("version: v1"), yaml);
        String names = ok("get", "deployments,services,virtualservices,destinationrules,httproutes,crd", "-o", "name");
        for (String expected : List.of("deployment.apps/shop", "service/shop", "virtualservice.networking.istio.io/shop",
                "deployment.apps/cart", "service/cart", "httproute.gateway.networking.k8s.io/cart",
                "destinationrule.networking.istio.io/shop", "customresourcedefinition.apiextensions.k8s.io/canaries.serin.dev")) {
            assertTrue(names.contains(expected), names);
        }
        assertTrue(ok("get", "vs").contains("shop"));
    }

    @Test
    void applyCreatesAndUpdatesACanaryAndPatchMergeChangesIt() throws Exception {
        Path file = manifest("canary.yaml", canaryYaml("web-canary-test", 3));
        assertTrue(ok("apply", "-f", file.toString()).contains("canary.serin.dev/web-canary-test created"));
        assertEquals(3.0, canary("web-canary-test").getSpec().weight);

        Files.writeString(file, canaryYaml("web-canary-test", 5));
        assertTrue(ok("apply", "-f", file.toString()).contains("canary.serin.dev/web-canary-test configured"));
        assertEquals(5.0, canary("web-canary-test").getSpec().weight);

        assertTrue(ok("patch", "canary", "web-canary-test", "--type", "merge", "-p", "{\"spec\":{\"weight\":0.5}}")
                .contains("patched"));
        Canary patched = canary("web-canary-test");
        assertEquals(0.5, patched.getSpec().weight);
        assertEquals("registry.example/shop:v2", patched.getSpec().canary.containers.get(0).image);

        String yaml = ok("get", "canary", "web-canary-test", "-o", "yaml");
        assertTrue(yaml.contains("weight: 0.5"), yaml);
        assertTrue(ok("delete", "canary", "web-canary-test").contains("deleted"));
        assertNull(canary("web-canary-test"));
    }

    @Test
    void applyUpdatesADeploymentThroughAStrategicMergePatch() throws Exception {
        Path file = manifest("web.yaml", deploymentYaml("web", 2, "nginx:1", true));
        String created = ok("apply", "-f", file.toString());
        assertTrue(created.contains("deployment.apps/web created") && created.contains("service/web created"), created);

        Files.writeString(file, deploymentYaml("web", 3, "nginx:2", false));
        assertTrue(ok("apply", "-f", file.toString()).contains("deployment.apps/web configured"));
        Deployment web = client.apps().deployments().inNamespace(DemoSeed.NAMESPACE).withName("web").get();
        assertEquals(3, web.getSpec().getReplicas());
        var containers = web.getSpec().getTemplate().getSpec().getContainers();
        assertEquals(List.of("app", "sidecar"), containers.stream().map(c -> c.getName()).toList());
        assertEquals("nginx:2", containers.get(0).getImage());
        assertEquals(List.of("A"), containers.get(0).getEnv().stream().map(e -> e.getName()).toList());
        assertEquals("side:1", containers.get(1).getImage());

        assertTrue(ok("scale", "deployment", "web", "--replicas=5").contains("scaled"));
        assertEquals(5, client.apps().deployments().inNamespace(DemoSeed.NAMESPACE).withName("web").get()
                .getSpec().getReplicas());

        ok("delete", "-f", file.toString());
        assertNull(client.apps().deployments().inNamespace(DemoSeed.NAMESPACE).withName("web").get());
        assertNull(client.services().inNamespace(DemoSeed.NAMESPACE).withName("web").get());
    }

    @Test
    void applyAndPatchIstioResources() throws Exception {
        Path file = manifest("vs.yaml", """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: api, namespace: demo}
                spec:
                  hosts: [api]
                  http:
                  - route:
                    - destination: {host: api}
                """);
        assertTrue(ok("apply", "-f", file.toString()).contains("virtualservice.networking.istio.io/api created"));
        ok("patch", "virtualservice", "api", "--type", "merge", "-p", "{\"spec\":{\"gateways\":[\"mesh\"]}}");
        GenericKubernetesResource vs = client.genericKubernetesResources(DemoSeed.ISTIO.virtualServices())
                .inNamespace(DemoSeed.NAMESPACE).withName("api").get();
        assertEquals(List.of("mesh"), ((java.util.Map<?, ?>) vs.getAdditionalProperties().get("spec")).get("gateways"));
        ok("delete", "vs", "api");
        assertNull(client.genericKubernetesResources(DemoSeed.ISTIO.virtualServices()).inNamespace(DemoSeed.NAMESPACE)
                .withName("api").get());
    }

    /** A finalizer keeps the object until its controller lets go: kubectl waits on a watch meanwhile. */
    @Test
    void deleteWaitsForFinalizersThroughAWatch() throws Exception {
        Path file = manifest("held.yaml", canaryYaml("held", 1).replace("  namespace: demo",
                "  namespace: demo\n  finalizers: [serin.dev/finalizer]"));
        ok("apply", "-f", file.toString());
        Process delete = kubectlProcess("delete", "canary", "held");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> canary("held") != null && canary("held").getMetadata().getDeletionTimestamp() != null);
        assertTrue(delete.isAlive(), "kubectl should still wait for the finalizer");
        client.resources(Canary.class).inNamespace(DemoSeed.NAMESPACE).withName("held").edit(c -> {
            c.getMetadata().setFinalizers(new ArrayList<>());
            return c;
        });
        assertTrue(delete.waitFor(KUBECTL_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "kubectl delete did not return");
        String out = new String(delete.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, delete.exitValue(), out);
        assertTrue(out.contains("canary.serin.dev \"held\" deleted"), out);
        assertNull(canary("held"));
    }

    @Test
    void notFoundIsReportedLikeAClusterWould() throws Exception {
        Result r = run("get", "deployment", "nope");
        assertTrue(r.exit() != 0);
        assertTrue(r.output().contains("NotFound") && r.output().contains("nope"), r.output());
    }

    // ------------------------------------------------------------------------------------------------

    private static Canary canary(String name) {
        return client.resources(Canary.class).inNamespace(DemoSeed.NAMESPACE).withName(name).get();
    }

    private static String canaryYaml(String name, double weight) {
        return """
                apiVersion: serin.dev/v1alpha1
                kind: Canary
                metadata:
                  name: %s
                  namespace: demo
                spec:
                  targetRef: {name: shop}
                  weight: %s
                  canary:
                    version: v2
                    containers:
                    - {name: app, image: "registry.example/shop:v2"}
                """.formatted(name, weight);
    }

    private static String deploymentYaml(String name, int replicas, String image, boolean withB) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: demo}
                spec:
                  replicas: %2$d
                  selector:
                    matchLabels: {app: %1$s}
                  template:
                    metadata:
                      labels: {app: %1$s, version: v1}
                    spec:
                      containers:
                      - name: app
                        image: %3$s
                        env:
                        - {name: A, value: "1"}
                %4$s      - name: sidecar
                        image: side:1
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: %1$s, namespace: demo}
                spec:
                  selector: {app: %1$s}
                  ports: [{port: 80, targetPort: 8080}]
                """.formatted(name, replicas, image, withB ? "        - {name: B, value: \"2\"}\n" : "");
    }

    private static Path manifest(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private record Result(int exit, String output) {
    }

    private static String ok(String... args) throws Exception {
        Result r = run(args);
        assertEquals(0, r.exit(), () -> "kubectl " + String.join(" ", args) + " failed:\n" + r.output());
        return r.output();
    }

    private static Result run(String... args) throws Exception {
        Process p = kubectlProcess(args);
        // output is small; read it all, then the exit status
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(KUBECTL_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "kubectl timed out");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static Process kubectlProcess(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(kubectl, "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", dir.resolve("kube-cache").toString(), "--request-timeout", "30s"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("KUBECONFIG");
        Process p = builder.start();
        assertNotNull(p);
        return p;
    }

    private static String findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String entry : path.split(File.pathSeparator)) {
            Path candidate = Path.of(entry, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
