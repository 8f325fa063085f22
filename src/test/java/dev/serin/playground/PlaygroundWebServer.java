package dev.serin.playground;

import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.HttpUrl;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The mock server's HTTP front end, redone for a long-running process that kubectl talks to:
 * <ul>
 * <li>watches over plain HTTP (what kubectl and client-go use: {@code ?watch=true} answered with a stream of
 * JSON events) besides the WebSocket watches fabric8 clients use; both are fed by the CRUD dispatcher's own
 * watch listeners, so they see the same events;</li>
 * <li>requests are not recorded: {@link MockWebServer} keeps every request in an unbounded queue for tests to
 * inspect, which a playground left running for hours would pile up.</li>
 * </ul>
 * Everything else is handed to the same request handler {@link MockWebServer} uses.
 */
final class PlaygroundWebServer extends MockWebServer {
    private final Vertx vertx = Vertx.vertx();
    private volatile Dispatcher dispatcher;
    private HttpServer server;
    private int port;
    private String hostName;

    @Override
    public void setDispatcher(Dispatcher dispatcher) {
        super.setDispatcher(dispatcher);
        this.dispatcher = dispatcher;
    }

    @Override
    public synchronized void start(InetAddress address, int port) {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        this.hostName = address.isLoopbackAddress() ? "localhost" : address.getHostName();
        HttpServerOptions options = new HttpServerOptions().setHost(address.getHostAddress()).setPort(port)
                .setWebSocketSubProtocols(List.of("v1.channel.k8s.io", "v2.channel.k8s.io", "v3.channel.k8s.io",
                        "v4.channel.k8s.io"))
                .setHandle100ContinueAutomatically(true);
        HttpServerRequestHandler standard = new HttpServerRequestHandler(vertx) {
            @Override
            protected MockResponse onHttpRequest(RecordedRequest request) {
                return dispatcher.dispatch(request);
            }
        };
        server = vertx.createHttpServer(options).requestHandler(request -> {
            if (isHttpWatch(request)) {
                streamWatch(request);
            } else {
                standard.handle(request);
            }
        });
        this.port = await(server.listen().toCompletionStage().toCompletableFuture()).actualPort();
    }

    @Override
    public synchronized void shutdown() {
        if (server != null) {
            dispatcher.shutdown();
            await(server.close().toCompletionStage().toCompletableFuture());
            server = null;
        }
        await(vertx.close().toCompletionStage().toCompletableFuture());
        super.shutdown();
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public String getHostName() {
        return hostName;
    }

    @Override
    public HttpUrl url(String path) {
        return HttpUrl.parse("http://" + hostName + ":" + port + "/" + (path.startsWith("/") ? path.substring(1) : path));
    }

    private static boolean isHttpWatch(HttpServerRequest request) {
        String watch = request.getParam("watch");
        return request.method() == io.vertx.core.http.HttpMethod.GET && ("true".equals(watch) || "1".equals(watch))
                && !"websocket".equalsIgnoreCase(request.getHeader("Upgrade"));
    }

    /** Answers a watch with a chunked stream of newline-separated JSON watch events, as the API server does. */
    private void streamWatch(HttpServerRequest request) {
        RecordedRequest recorded = new RecordedRequest("HTTP/1.1", HttpMethod.GET, request.uri(),
                Headers.builder().addAll(request.headers()).build(), new io.fabric8.mockwebserver.http.Buffer());
        MockResponse answer = dispatcher.dispatch(recorded);
        HttpServerResponse response = request.response();
        WebSocketListener listener = answer.getWebSocketListener();
        if (listener == null) { // not a watch after all, or an error
            response.setStatusCode(answer.code());
            answer.getHeaders().toMultimap().forEach((k, v) -> response.headers().add(k, v));
            response.end(answer.getBody() == null ? "" : answer.getBody().readUtf8());
            return;
        }
        response.setStatusCode(200).setChunked(true).putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-cache, private");
        AtomicBoolean open = new AtomicBoolean(true);
        AtomicBoolean released = new AtomicBoolean();
        WebSocket stream = new WebSocket() {
            @Override
            public RecordedRequest request() {
                return recorded;
            }

            @Override
            public boolean send(String text) {
                if (!open.get()) {
                    return false;
                }
                try {
                    response.write(text + "\n");
                    return true;
                } catch (IllegalStateException closed) {
                    return false;
                }
            }

            @Override
            public boolean send(byte[] bytes) {
                return send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            }

            @Override
            public boolean close(int code, String reason) {
                if (open.compareAndSet(true, false)) {
                    try {
                        response.end();
                    } catch (IllegalStateException alreadyClosed) {
                        // the client went first
                    }
                }
                return true;
            }
        };
        Runnable closed = () -> {
            open.set(false);
            if (released.getAndSet(true)) {
                return;
            }
            // the listener waits for its sender thread to stop: not on the event loop
            vertx.executeBlocking(() -> {
                listener.onClosed(stream, 1000, "client closed the watch");
                return null;
            }, false);
        };
        response.closeHandler(v -> closed.run());
        request.connection().closeHandler(v -> closed.run());
        response.writeHead();
        listener.onOpen(stream, answer);
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("playground API server: " + e.getMessage(), e);
        }
    }
}
