package dev.serin.strict.rbac;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Across the whole scenario suite, Serin's requests to the strict API server used exactly what k8s/ grants its
 * ServiceAccount: no request was refused, and every grant was used by some request (or is listed below with the
 * reason no scenario can use it).
 *
 * <p>It reads what this run's scenarios recorded in both test JVMs ({@link PermissionRecorder}), so it runs after
 * them: in surefire's execution {@code rbac-coverage} (pom.xml), which neither fork suite includes.
 */
class RbacCoverageTest {
    static final Path K8S = Path.of("k8s");

    /** Grants no scenario can use, each with the reason it is granted all the same. */
    static final Map<Permission, String> NOT_EXERCISED = Map.of();

    @Test
    void noRequestOfSerinWasRefused() throws IOException {
        RbacCoverage.Report report = report();
        assertTrue(report.denied().isEmpty(), "Serin needed what k8s/ does not grant serin-system/serin:\n"
                + report.denied().stream().map(r -> r.permission() + ": " + r.message()).collect(Collectors.joining("\n")));
    }

    @Test
    void everyGrantOfSerinWasUsed() throws IOException {
        RbacCoverage.Report report = report();
        String only = System.getProperty("test"); // surefire's -Dtest reaches the test JVM
        Assumptions.assumeTrue(only == null || only.isBlank(),
                "only part of the suite ran (-Dtest=" + only + "), so a grant no scenario used proves nothing");
        assertTrue(report.unused().isEmpty(), "k8s/ grants serin-system/serin what no scenario used (remove it, or "
                + "list it in NOT_EXERCISED with the reason):\n"
                + report.unused().stream().map(Permission::toString).collect(Collectors.joining("\n")));
        assertTrue(report.staleExemptions().isEmpty(), "NOT_EXERCISED lists what is no longer granted, or was used: "
                + report.staleExemptions());
    }

    private static RbacCoverage.Report report() throws IOException {
        Path run = PermissionRecorder.directoryOfThisRun();
        Assumptions.assumeTrue(Files.isDirectory(run), "no permissions recorded in " + run.toAbsolutePath()
                + ": no scenario ran against the strict API server in this run (e.g. this class ran alone)");
        return RbacCoverage.compare(RbacRules.fromKustomization(K8S).granted(Identity.SERIN),
                PermissionRecorder.readRun(run), NOT_EXERCISED);
    }
}
