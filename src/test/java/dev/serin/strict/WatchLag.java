package dev.serin.strict;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watch events of a resource a test chooses reach the watchers late, in order: on a real cluster each watch is its
 * own stream, and one kind's events can trail another's (a controller may see its own Canary write before the
 * DestinationRule it wrote earlier).
 */
final class WatchLag {
    private final Map<String, Duration> lagByResource = new ConcurrentHashMap<>();
    // one thread: events sent with the same lag leave in the order they were sent
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "strict-watch-lag");
        t.setDaemon(true);
        return t;
    });

    void set(String resource, Duration lag) {
        if (lag.isZero()) {
            lagByResource.remove(resource);
        } else {
            lagByResource.put(resource, lag);
        }
    }

    /** The watch response, its events sent through the lag of {@code resource} as it is when each is sent. */
    MockResponse wrap(String resource, MockResponse watch) {
        WebSocketListener events = watch.getWebSocketListener();
        if (events == null) {
            return watch;
        }
        return watch.withWebSocketUpgrade(new WebSocketListener() {
            @Override
            public void onBeforeAccept(WebSocket webSocket, Response response) {
                events.onBeforeAccept(webSocket, response);
            }

            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                events.onOpen(lagging(resource, webSocket), response);
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                events.onMessage(webSocket, text);
            }

            @Override
            public void onMessage(WebSocket webSocket, ByteString bytes) {
                events.onMessage(webSocket, bytes);
            }

            @Override
            public void onMessage(WebSocket webSocket, byte[] bytes) {
                events.onMessage(webSocket, bytes);
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                events.onClosing(webSocket, code, reason);
            }

            @Override
            public void onClosed(WebSocket webSocket, int code, String reason) {
                events.onClosed(webSocket, code, reason);
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                events.onFailure(webSocket, t, response);
            }
        });
    }

    private WebSocket lagging(String resource, WebSocket socket) {
        // once one event went late, every later one goes through the sender too, never before it (a watcher's cache
        // takes each event as the newest)
        AtomicLong lastDue = new AtomicLong(Long.MIN_VALUE);
        return new WebSocket() {
            @Override
            public RecordedRequest request() {
                return socket.request();
            }

            @Override
            public boolean send(String text) {
                Duration lag = lagByResource.get(resource);
                if (lag == null && lastDue.get() == Long.MIN_VALUE) {
                    return socket.send(text);
                }
                long now = System.nanoTime();
                long due = lastDue.updateAndGet(last -> Math.max(last, now + (lag == null ? 0 : lag.toNanos())));
                sender.schedule(() -> socket.send(text), due - now, TimeUnit.NANOSECONDS);
                return true;
            }

            @Override
            public boolean send(byte[] bytes) {
                return socket.send(bytes);
            }

            @Override
            public boolean send(ByteString bytes) {
                return socket.send(bytes);
            }

            @Override
            public boolean close(int code, String reason) {
                return socket.close(code, reason);
            }
        };
    }
}
