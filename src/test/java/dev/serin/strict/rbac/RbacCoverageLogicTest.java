package dev.serin.strict.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The comparison {@link RbacCoverageTest} makes, on a hand-made record file. */
class RbacCoverageLogicTest {
    private static final RbacRules RULES = RbacRules.fromYaml("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: controller}
            rules:
              - {apiGroups: [serin.dev], resources: [canaries], verbs: [list, watch, patch]}
              - {apiGroups: [serin.dev], resources: [canaries/finalizers], verbs: [update]}
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: controller}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: controller}
            subjects: [{kind: ServiceAccount, name: serin, namespace: serin-system}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: leases, namespace: serin-system}
            rules: [{apiGroups: [coordination.k8s.io], resources: [leases], verbs: [get, update]}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: leases, namespace: serin-system}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: leases}
            subjects: [{kind: ServiceAccount, name: serin, namespace: serin-system}]
            """);
    private static final Permission FINALIZERS = new Permission("serin.dev", "canaries/finalizers", "update", Permission.CLUSTER);

    @TempDir
    Path dir;

    @Test
    void deniedUnusedAndExemptGrants() throws IOException {
        Path file = dir.resolve("42.txt");
        Files.writeString(file, String.join("\n",
                "allowed\tlist\tserin.dev\tcanaries\tcluster",
                "allowed\twatch\tserin.dev\tcanaries\tcluster",
                "allowed\tpatch\tserin.dev\tcanaries\tdemo", // a cluster-wide grant used in one namespace is used
                "allowed\tget\tcoordination.k8s.io\tleases\tserin-system",
                "allowed\tget\t\t/version\tcluster", // allowed by the defaults, granted by nobody in k8s/: fine
                "denied\tpatch\tcoordination.k8s.io\tleases\tserin-system\tleases.coordination.k8s.io \"serin-leader\" "
                        + "is forbidden: User \"system:serviceaccount:serin-system:serin\" cannot patch resource "
                        + "\"leases\" in API group \"coordination.k8s.io\" in the namespace \"serin-system\"",
                "allowed\tlist\tserin.dev\tcanaries\tcluster", // another class loader wrote it too
                ""));

        RbacCoverage.Report report = RbacCoverage.compare(RULES.granted(Identity.SERIN), PermissionRecorder.read(file),
                Map.of(FINALIZERS, "no scenario can"));

        assertEquals(1, report.denied().size());
        assertEquals(new Permission("coordination.k8s.io", "leases", "patch", "serin-system"),
                report.denied().get(0).permission());
        assertEquals(List.of(new Permission("coordination.k8s.io", "leases", "update", "serin-system")), report.unused());
        assertEquals(List.of(), report.staleExemptions());
    }

    @Test
    void aUsedOrUngrantedExemptionIsStale() {
        Set<Recorded> usedFinalizers = Set.of(new Recorded(
                new Permission("serin.dev", "canaries/finalizers", "update", "demo"), true, null));
        Permission notGranted = new Permission("apps", "deployments", "delete", Permission.CLUSTER);
        RbacCoverage.Report report = RbacCoverage.compare(RULES.granted(Identity.SERIN), usedFinalizers,
                Map.of(FINALIZERS, "no scenario can", notGranted, "gone"));
        assertEquals(Set.of(FINALIZERS, notGranted), Set.copyOf(report.staleExemptions()));
    }

    @Test
    void aNamespacedUseDoesNotCoverAnotherNamespacesGrant() {
        Permission grant = new Permission("coordination.k8s.io", "leases", "get", "serin-system");
        RbacCoverage.Report report = RbacCoverage.compare(List.of(grant),
                List.of(new Recorded(new Permission("coordination.k8s.io", "leases", "get", "default"), true, null)),
                Map.of());
        assertEquals(List.of(grant), report.unused());
    }
}
