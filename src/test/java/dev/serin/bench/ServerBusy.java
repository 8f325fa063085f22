package dev.serin.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How busy the benchmark API server is: the time during which at least one request was being dispatched (its busy
 * time; busy time ÷ wall time is its busy share, 1.0 meaning it never waited for a client), the sum of every
 * request's dispatch time (its service time, including any wait for the mock's store lock) and how many it served.
 * Read cumulatively from {@code /bench/process}; a phase takes the difference.
 */
final class ServerBusy {
    private int inFlight;
    private long busySince;
    private long busyNanos;
    private long serviceNanos;
    private long served;

    synchronized long enter() {
        long now = System.nanoTime();
        if (inFlight++ == 0) {
            busySince = now;
        }
        return now;
    }

    synchronized void exit(long entered) {
        long now = System.nanoTime();
        serviceNanos += now - entered;
        served++;
        if (--inFlight == 0) {
            busyNanos += now - busySince;
        }
    }

    synchronized Map<String, Object> snapshot() {
        long now = System.nanoTime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("busy_s", (busyNanos + (inFlight > 0 ? now - busySince : 0)) / 1e9);
        m.put("service_s", serviceNanos / 1e9);
        m.put("served", served);
        return m;
    }
}
