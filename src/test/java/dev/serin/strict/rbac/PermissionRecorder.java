package dev.serin.strict.rbac;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Records every request the strict server judged for Serin's identity, allowed or denied, for
 * {@link RbacCoverageTest}.
 *
 * <p>Quarkus tests load test classes in class loaders of their own, so static state here is per class loader and
 * does not reach the coverage test. The record therefore lives in a file, {@code target/rbac-used/<run>/<pid>.txt}:
 * the run is the system property {@value #RUN_PROPERTY} (the build's start, which pom.xml gives both test JVMs and the
 * coverage test's; {@code jvm-<pid>} without it), so the coverage test reads this run's records from every JVM and no
 * earlier run's. Each class loader writes a permission once (the in-memory set below), as one line appended with a
 * single write on a file opened with APPEND, so lines from several class loaders never interleave.
 */
public final class PermissionRecorder {
    public static final Path DIRECTORY = Path.of("target", "rbac-used");
    /** Keys already written, per file, in this class loader. */
    private static final Map<Path, Set<String>> WRITTEN = new ConcurrentHashMap<>();

    private final Path file;

    public PermissionRecorder(Path file) {
        this.file = file.toAbsolutePath().normalize();
    }

    public static final String RUN_PROPERTY = "serin.test-run";

    /** The recorder of this JVM: {@code target/rbac-used/<run>/<pid>.txt}. */
    public static PermissionRecorder ofThisJvm() {
        return new PermissionRecorder(fileOfThisJvm());
    }

    public static Path fileOfThisJvm() {
        return directoryOfThisRun().resolve(ProcessHandle.current().pid() + ".txt");
    }

    /** Where every JVM of this test run records: {@code target/rbac-used/<run>}. */
    public static Path directoryOfThisRun() {
        String run = System.getProperty(RUN_PROPERTY, "");
        return DIRECTORY.resolve(run.isBlank() ? "jvm-" + ProcessHandle.current().pid() : run);
    }

    public Path file() {
        return file;
    }

    public void record(RequestAttributes request, Decision decision) {
        record(Recorded.of(request, decision));
    }

    public void record(Recorded recorded) {
        Set<String> written = WRITTEN.computeIfAbsent(file, f -> ConcurrentHashMap.newKeySet());
        synchronized (written) {
            if (written.contains(recorded.key())) {
                return;
            }
            try {
                Files.createDirectories(file.getParent());
                Files.write(file, (recorded.line() + "\n").getBytes(StandardCharsets.UTF_8),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException("could not record " + recorded + " in " + file, e);
            }
            written.add(recorded.key());
        }
    }

    /** Every distinct record in the files of a run's directory (one per JVM). */
    public static Set<Recorded> readRun(Path directory) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            }
        }
        return distinct(lines);
    }

    /** Every distinct record in a file (several class loaders may each have written the same one). */
    public static Set<Recorded> read(Path file) throws IOException {
        return distinct(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** The first record of each key, in order. */
    private static Set<Recorded> distinct(List<String> lines) {
        Set<String> keys = new LinkedHashSet<>();
        Set<Recorded> records = new LinkedHashSet<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            Recorded r = Recorded.parse(line);
            if (keys.add(r.key())) {
                records.add(r);
            }
        }
        return records;
    }
}
