package dev.serin.bench;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts the benchmark's API server ({@link BenchApiServer}) in a JVM of its own, from this JVM's test class path,
 * and points Serin's client at it. Its URL and pid are left in the system properties {@code bench.apiserver.url}
 * and {@code bench.apiserver.pid}. Its heap is {@code -Dbench.apiserver.xmx} (default 3g).
 */
public class ApiServerProcess implements QuarkusTestResourceLifecycleManager {
    private Process process;

    @Override
    public Map<String, String> start() {
        // fabric8 reads these as system properties: never pick up a kubeconfig or a pod's token from the machine
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-Xmx" + System.getProperty("bench.apiserver.xmx", "3g"), "-XX:+UseG1GC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", classpath, BenchApiServer.class.getName()));
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<Integer> port = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("PORT=") && !port.isDone()) {
                            port.complete(Integer.parseInt(line.substring(5).trim()));
                        } else {
                            System.err.println("[bench-apiserver] " + line);
                        }
                    }
                } catch (Exception e) {
                    port.completeExceptionally(e);
                }
                port.completeExceptionally(new IllegalStateException("the benchmark API server exited"));
            }, "bench-apiserver-output");
            reader.setDaemon(true);
            reader.start();
            String url = "http://localhost:" + port.get(2, TimeUnit.MINUTES);
            System.setProperty("bench.apiserver.url", url);
            System.setProperty("bench.apiserver.pid", String.valueOf(process.pid()));
            return Map.of(
                    "quarkus.kubernetes-client.api-server-url", url,
                    "quarkus.kubernetes-client.trust-certs", "true",
                    "quarkus.kubernetes-client.namespace", "test");
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not start the benchmark API server", e);
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }
}
