package dev.serin.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.serin.IstioDiscovery;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's API server, run as its own process ({@link ApiServerProcess} starts it) so that the benchmark
 * JVM's heap and CPU are Serin's (and the benchmark client's), not the mock's: fabric8's CRUD mock API server
 * (kubernetes-server-mock 7.5.2) with an {@link IndexedStore}, the API discovery of Istio 1.22+
 * ({@link IstioDiscovery.V1}) and, under {@code /bench/}, the request counts and its own memory and CPU.
 * Prints {@code PORT=<n>} once listening; exits when its standard input closes (the benchmark JVM is gone).
 */
public final class BenchApiServer extends Dispatcher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<ServerRequest, Queue<ServerResponse>> expectations;
    private final MockDispatcher expected;
    private final IndexedCrudDispatcher crud = new IndexedCrudDispatcher();
    private final ServerTally tally = new ServerTally();
    private final ServerBusy busy = new ServerBusy();

    private BenchApiServer(Map<ServerRequest, Queue<ServerResponse>> expectations) {
        this.expectations = expectations;
        this.expected = new MockDispatcher(expectations);
    }

    public static void main(String[] args) throws Exception {
        // the mock web server logs every request at INFO through java.util.logging: that would be most of its work
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (var handler : root.getHandlers()) {
            handler.setLevel(java.util.logging.Level.WARNING);
        }
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        BenchApiServer dispatcher = new BenchApiServer(expectations);
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), expectations,
                dispatcher, false);
        server.init();
        IstioDiscovery.serve(server::expect, () -> List.of("v1", "v1beta1", "v1alpha3"));
        Thread drain = new Thread(() -> {
            // the mock keeps every request, body included, until taken: counted at dispatch, dropped here
            while (true) {
                try {
                    server.takeRequest(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-apiserver-drain");
        drain.setDaemon(true);
        drain.start();
        System.out.println("PORT=" + server.getPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // the benchmark JVM holds our stdin open; EOF means it is gone
        }
        server.destroy();
        System.exit(0);
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath() == null ? "" : request.getPath();
        if (path.startsWith("/bench/")) {
            return own(path);
        }
        tally.count(request);
        long entered = busy.enter();
        try {
            Queue<ServerResponse> queue = expectations.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), path));
            if (queue != null && !queue.isEmpty()) {
                return expected.dispatch(request);
            }
            return crud.dispatch(request);
        } finally {
            busy.exit(entered);
        }
    }

    private MockResponse own(String path) {
        Object body;
        if (path.startsWith("/bench/tally")) {
            body = tally.snapshot();
        } else if (path.startsWith("/bench/virtualservice-puts")) {
            long since = Long.parseLong(path.substring(path.indexOf("since=") + 6));
            body = tally.virtualServicePutsSince(since);
        } else if (path.startsWith("/bench/process")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pid", ProcessHandle.current().pid());
            m.put("objects", crud.size());
            m.put("cpu_s", Stats.round(Machine.processCpuNanos() / 1e9));
            m.putAll(busy.snapshot());
            if (path.contains("gc=true")) {
                m.putAll(Machine.memory());
            }
            body = m;
        } else {
            return new MockResponse().setResponseCode(404);
        }
        try {
            return new MockResponse().setResponseCode(200).setBody(JSON.writeValueAsString(body));
        } catch (IOException e) {
            return new MockResponse().setResponseCode(500).setBody(e.toString());
        }
    }
}
