package dev.serin.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How long some of this JVM's threads (by name: {@code serin-reconcile}, the Vert.x event loops that carry the
 * Kubernetes client's requests) were runnable but not running (Linux {@code
 * /proc/self/task/<tid>/schedstat}, second field: time spent waiting on a CPU's run queue). That is waiting for a
 * CPU, told apart from waiting on a lock or the API server, which a thread does asleep. Empty where the kernel does
 * not publish schedstat.
 */
final class RunQueueWait {
    private static final Path TASKS = Path.of("/proc/self/task");
    private final String prefix;
    private final Map<String, Long> start;

    /** Threads whose name starts with {@code prefix} (the kernel keeps the first 15 characters of a name). */
    RunQueueWait(String prefix) {
        this.prefix = prefix.length() > 15 ? prefix.substring(0, 15) : prefix;
        this.start = read();
    }

    /** Nanoseconds those threads waited for a CPU since this was made (threads gone meanwhile not counted); -1 without schedstat. */
    long sinceStart() {
        Map<String, Long> now = read();
        if (now.isEmpty() && start.isEmpty()) {
            return available() ? 0 : -1;
        }
        long total = 0;
        for (Map.Entry<String, Long> e : now.entrySet()) {
            total += e.getValue() - start.getOrDefault(e.getKey(), 0L);
        }
        return total;
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/schedstat"));
    }

    /** Thread id -> run-queue wait so far (ns), for those threads alive now. */
    private Map<String, Long> read() {
        Map<String, Long> m = new HashMap<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            tasks.forEach(task -> {
                try {
                    if (Files.readString(task.resolve("comm")).trim().startsWith(prefix)) {
                        String[] fields = Files.readString(task.resolve("schedstat")).trim().split("\\s+");
                        m.put(task.getFileName().toString(), Long.parseLong(fields[1]));
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            });
        } catch (IOException e) {
            return Map.of();
        }
        return m;
    }
}
