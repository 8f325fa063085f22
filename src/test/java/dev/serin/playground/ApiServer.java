package dev.serin.playground;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * fabric8's mock Kubernetes API server in CRUD mode, on plain HTTP at a fixed loopback port, fronted by
 * {@link PlaygroundWebServer} and {@link PlaygroundDispatcher} so that the real kubectl can use it.
 */
public final class ApiServer implements AutoCloseable {
    private final PlaygroundDispatcher dispatcher = new PlaygroundDispatcher();
    private final KubernetesMockServer server;
    private KubernetesClient client;

    public ApiServer() {
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new PlaygroundWebServer(),
                new HashMap<>(), dispatcher, false);
    }

    /** Starts on the port (0 picks a free one). */
    public ApiServer start(int port) {
        server.start(InetAddress.getLoopbackAddress(), port);
        dispatcher.serverAddress("localhost:" + server.getPort());
        return this;
    }

    public int port() {
        return server.getPort();
    }

    public String url() {
        return "http://localhost:" + server.getPort();
    }

    /** An in-process client of this server. */
    public synchronized KubernetesClient client() {
        if (client == null) {
            client = server.createClient();
        }
        return client;
    }

    /** Writes a kubeconfig whose current context points at this server, namespace {@code namespace}. */
    public Path writeKubeconfig(Path file, String namespace) {
        String yaml = """
                # written by the Serin playground: plain HTTP, no credentials, loopback only
                apiVersion: v1
                kind: Config
                clusters:
                - name: serin-playground
                  cluster:
                    server: %s
                contexts:
                - name: serin-playground
                  context:
                    cluster: serin-playground
                    namespace: %s
                    user: serin-playground
                current-context: serin-playground
                users:
                - name: serin-playground
                  user: {}
                """.formatted(url(), namespace);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        server.shutdown();
    }
}
