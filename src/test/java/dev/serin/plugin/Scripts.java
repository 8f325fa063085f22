package dev.serin.plugin;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/** Runs the repository's bash scripts (the kubectl plugin, the tour) with the real kubectl, as a user would. */
final class Scripts {
    static final String KUBECTL_MISSING = "kubectl not on PATH; install it (Debian: apt-get install kubernetes-client) "
            + "to run the plugin tests";
    static final String BASH_MISSING = "bash not on PATH; the kubectl plugin and the tour are bash scripts";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Scripts() {
    }

    /** Skips the calling test, with the reason, when kubectl or bash is missing. */
    static void assumeTools() {
        Assumptions.assumeTrue(findOnPath("kubectl") != null, KUBECTL_MISSING);
        Assumptions.assumeTrue(findOnPath("bash") != null, BASH_MISSING);
    }

    static Path findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(entry, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The directory of the checkout (surefire runs in it). */
    static Path repo() {
        Path here = Path.of("").toAbsolutePath();
        assertTrue(Files.isRegularFile(here.resolve("bin/kubectl-canary")), "not run from the repository root: " + here);
        return here;
    }

    /**
     * An environment for kubectl that touches nothing of the user's: HOME and the kubectl cache under {@code home},
     * PATH with kubectl's and bash's directories (and /usr/bin, /bin for the tools the scripts use).
     */
    static Map<String, String> environment(Path home, Path kubeconfig) {
        List<String> path = new ArrayList<>();
        for (String tool : List.of("kubectl", "bash", "curl")) {
            Path found = findOnPath(tool);
            if (found != null && !path.contains(found.getParent().toString())) {
                path.add(found.getParent().toString());
            }
        }
        path.addAll(List.of("/usr/local/bin", "/usr/bin", "/bin"));
        Map<String, String> env = new java.util.HashMap<>();
        env.put("PATH", String.join(File.pathSeparator, path));
        env.put("HOME", home.toString());
        env.put("KUBECACHEDIR", home.resolve(".kube/cache").toString());
        if (kubeconfig != null) {
            env.put("KUBECONFIG", kubeconfig.toString());
        }
        env.put("LC_ALL", "C");
        return env;
    }

    record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** A started script whose output goes to files, so that it never blocks on a full pipe. */
    static final class Running {
        private final Process process;
        private final Path out;
        private final Path err;

        Running(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        boolean isAlive() {
            return process.isAlive();
        }

        Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("did not end within " + timeout + ":\n" + read());
                }
                return read();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new AssertionError("interrupted", e);
            }
        }

        private Result read() {
            try {
                return new Result(process.isAlive() ? -1 : process.exitValue(),
                        Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Starts {@code bash script args...} in the repository root with exactly {@code env}. */
    static Running start(Path logs, Map<String, String> env, Path script, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(findOnPath("bash").toString());
        command.add(script.toString());
        command.addAll(args);
        int n = SEQUENCE.incrementAndGet();
        Path out = logs.resolve("run-" + n + ".out");
        Path err = logs.resolve("run-" + n + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(repo().toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Files.createDirectories(logs);
            return new Running(builder.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
