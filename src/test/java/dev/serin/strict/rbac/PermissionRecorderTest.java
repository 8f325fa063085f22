package dev.serin.strict.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PermissionRecorderTest {
    private static final RbacRules NONE = RbacRules.fromYaml("");

    @TempDir
    Path dir;

    @Test
    void writesEachPermissionOnceAndReadsItBack() throws IOException {
        Path file = dir.resolve("sub/1.txt");
        PermissionRecorder recorder = new PermissionRecorder(file);
        RequestAttributes patch = RequestAttributes.of("PATCH",
                "/apis/coordination.k8s.io/v1/namespaces/serin-system/leases/serin-leader");
        Decision allowed = new Decision(true, "RBAC: allowed by test");
        recorder.record(patch, allowed);
        recorder.record(patch, allowed);
        new PermissionRecorder(file).record(patch, allowed); // another recorder in the same class loader
        RequestAttributes list = RequestAttributes.of("GET", "/apis/serin.dev/v1alpha1/canaries?resourceVersion=0");
        recorder.record(list, NONE.authorize(Identity.SERIN, list));
        recorder.record(RequestAttributes.of("GET", "/version"), allowed);

        assertEquals(3, Files.readAllLines(file).size(), Files.readString(file));
        Set<Recorded> read = PermissionRecorder.read(file);
        assertEquals(Set.of(
                new Recorded(new Permission("coordination.k8s.io", "leases", "patch", "serin-system"), true, null),
                new Recorded(new Permission("serin.dev", "canaries", "list", Permission.CLUSTER), false,
                        "canaries.serin.dev is forbidden: User \"system:serviceaccount:serin-system:serin\" cannot list "
                                + "resource \"canaries\" in API group \"serin.dev\" at the cluster scope"),
                new Recorded(new Permission("", "/version", "get", Permission.CLUSTER), true, null)), read);
    }

    @Test
    void aRunIsReadFromEveryJvmsFileOnceEach() throws IOException {
        Path run = dir.resolve("run");
        RequestAttributes patch = RequestAttributes.of("PATCH",
                "/apis/coordination.k8s.io/v1/namespaces/serin-system/leases/serin-leader");
        Decision allowed = new Decision(true, "RBAC: allowed by test");
        new PermissionRecorder(run.resolve("1.txt")).record(patch, allowed);
        new PermissionRecorder(run.resolve("2.txt")).record(patch, allowed); // the other JVM used it too
        new PermissionRecorder(run.resolve("2.txt")).record(RequestAttributes.of("GET", "/version"), allowed);

        assertEquals(Set.of(
                new Recorded(new Permission("coordination.k8s.io", "leases", "patch", "serin-system"), true, null),
                new Recorded(new Permission("", "/version", "get", Permission.CLUSTER), true, null)),
                PermissionRecorder.readRun(run));
    }

    @Test
    void theFileIsThisJvmsOwn() {
        assertEquals(PermissionRecorder.directoryOfThisRun().resolve(ProcessHandle.current().pid() + ".txt"),
                PermissionRecorder.fileOfThisJvm());
        String run = System.getProperty(PermissionRecorder.RUN_PROPERTY, "");
        assertEquals(Path.of("target", "rbac-used", run.isBlank() ? "jvm-" + ProcessHandle.current().pid() : run),
                PermissionRecorder.directoryOfThisRun());
    }

    @Test
    void concurrentRecordsAreWholeLines() throws Exception {
        Path file = dir.resolve("concurrent.txt");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                PermissionRecorder recorder = new PermissionRecorder(file);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        recorder.record(RequestAttributes.of("GET", "/api/v1/namespaces/ns" + i + "/events"),
                                new Decision(true, "ok"));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(200, lines.size());
        assertTrue(lines.stream().allMatch(l -> l.matches("allowed\\tlist\\t\\tevents\\tns\\d+")), lines.toString());
        assertEquals(200, PermissionRecorder.read(file).size());
    }
}
