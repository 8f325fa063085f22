package dev.serin.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.serin.api.v1alpha1.Canary;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Static checks of the install manifests under k8s/. Plain JUnit: no Quarkus, no cluster.
 * The kustomize render needs a kubectl binary on PATH and is skipped, visibly, without one.
 */
class ManifestsTest {

    private static final Path K8S = Path.of("k8s");
    private static final Path EXAMPLES = K8S.resolve("examples");
    private static final Path CRD = K8S.resolve("crd/canaries.serin.dev-v1.yml");
    private static final Path GENERATED_CRD = Path.of("target/classes/META-INF/fabric8/canaries.serin.dev-v1.yml");
    private static final String NAMESPACE = "serin-system";
    private static final String KUBECTL_MISSING =
            "kubectl not on PATH; install it (Debian: apt-get install kubernetes-client) to check kustomize output";
    private static final Set<String> CLUSTER_SCOPED =
            Set.of("Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding");

    // ---------------------------------------------------------------- every document

    @Test
    void everyYamlDocumentIsAKubernetesObjectWithApiVersionKindAndName() throws IOException {
        List<Path> files = manifestFiles(K8S, true);
        assertFalse(files.isEmpty(), "no manifests found under " + K8S.toAbsolutePath());
        int documents = 0;
        for (Path file : files) {
            List<HasMetadata> objects = load(file);
            assertFalse(objects.isEmpty(), file + " holds no document");
            for (HasMetadata o : objects) {
                String where = file + ": " + o.getKind() + "/" + name(o);
                assertNotBlank(o.getApiVersion(), where + " has no apiVersion");
                assertNotBlank(o.getKind(), where + " has no kind");
                assertNotNull(o.getMetadata(), where + " has no metadata");
                assertNotBlank(o.getMetadata().getName(), where + " has no metadata.name");
                documents++;
            }
        }
        assertTrue(documents >= 15, "expected the install and example objects, found " + documents + " documents");
    }

    @Test
    void installObjectsLiveInSerinSystemUnlessClusterScoped() throws IOException {
        for (Path file : manifestFiles(K8S, false)) {
            for (HasMetadata o : load(file)) {
                String ns = o.getMetadata().getNamespace();
                if (CLUSTER_SCOPED.contains(o.getKind())) {
                    assertTrue(ns == null, file + ": cluster-scoped " + o.getKind() + "/" + name(o) + " names namespace " + ns);
                } else {
                    assertEquals(NAMESPACE, ns, file + ": " + o.getKind() + "/" + name(o));
                }
            }
        }
    }

    // ---------------------------------------------------------------- kustomizations

    @Test
    void everyKustomizationResourceExistsAndEveryManifestIsListed() throws IOException {
        for (Path dir : List.of(K8S, EXAMPLES)) {
            Path kustomization = dir.resolve("kustomization.yaml");
            assertTrue(Files.isRegularFile(kustomization), kustomization + " missing");
            List<String> resources = kustomizationResources(kustomization);
            assertFalse(resources.isEmpty(), kustomization + " lists no resources");
            for (String resource : resources) {
                assertTrue(Files.exists(dir.resolve(resource)),
                        kustomization + " lists " + resource + " but " + dir.resolve(resource) + " does not exist");
            }
            // The other way round: a manifest that no kustomization lists would never be installed.
            Set<Path> listed = resources.stream().map(r -> dir.resolve(r).normalize()).collect(Collectors.toSet());
            for (Path file : manifestFiles(dir, false)) {
                assertTrue(listed.contains(file.normalize()), file + " is not listed in " + kustomization);
            }
        }
        assertTrue(kustomizationResources(K8S.resolve("kustomization.yaml")).contains("api-rbac.yaml"),
                "k8s/kustomization.yaml must list api-rbac.yaml");
    }

    // ---------------------------------------------------------------- the controller Deployment

    /**
     * The namespaced install (k8s/namespaced): the controller's and the REST API's ClusterRoles are bound per watched
     * namespace with RoleBindings, their ClusterRoleBindings are deleted, and the only ClusterRoleBinding left grants
     * TokenReview and SubjectAccessReview; SERIN_NAMESPACES names exactly the namespaces bound.
     */
    @Test
    void namespacedInstallGrantsNothingClusterWideButTheReviews() throws IOException {
        Path dir = K8S.resolve("namespaced");
        Set<String> deleted = new TreeSet<>();
        for (String file : List.of("no-controller-binding.yaml", "no-api-binding.yaml")) {
            assertTrue(Files.readString(dir.resolve(file)).contains("$patch: delete"), file + " deletes");
            for (HasMetadata o : load(dir.resolve(file))) {
                assertEquals("ClusterRoleBinding", o.getKind());
                deleted.add(o.getMetadata().getName());
            }
        }
        assertEquals(Set.of("serin-api", "serin-controller"), deleted);
        Set<String> left = new TreeSet<>();
        for (Path file : manifestFiles(K8S, false)) {
            for (HasMetadata o : load(file)) {
                if (o instanceof ClusterRoleBinding b && !deleted.contains(b.getMetadata().getName())) {
                    left.add(b.getRoleRef().getName());
                }
            }
        }
        assertEquals(Set.of("serin-api-auth"), left, "cluster-wide bindings left");
        ClusterRole auth = one(K8S.resolve("api-rbac.yaml"), ClusterRole.class, "serin-api-auth");
        Set<String> authResources = auth.getRules().stream().flatMap(r -> r.getResources().stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("subjectaccessreviews", "tokenreviews"), authResources);

        Set<String> bound = new TreeSet<>();
        for (HasMetadata o : load(dir.resolve("rolebindings.yaml"))) {
            RoleBinding b = (RoleBinding) o;
            assertEquals("ClusterRole", b.getRoleRef().getKind());
            assertBoundToServiceAccount(b.getSubjects(), "RoleBinding " + b.getMetadata().getName());
            bound.add(b.getMetadata().getNamespace() + "/" + b.getRoleRef().getName());
        }
        Deployment deployment = one(dir.resolve("deployment-namespaces.yaml"), Deployment.class, "serin");
        String namespaces = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("SERIN_NAMESPACES")).findFirst().orElseThrow().getValue();
        Set<String> expected = new TreeSet<>();
        for (String ns : namespaces.split(",")) {
            expected.add(ns.strip() + "/serin-controller");
            expected.add(ns.strip() + "/serin-api");
        }
        assertEquals(expected, bound, "a RoleBinding of each role in each namespace of SERIN_NAMESPACES");
        assertEquals(List.of("rolebindings.yaml"), componentResources(dir.resolve("kustomization.yaml")));
    }


    /** The optional TLS component: the Secret serin-tls mounted, the one port served over HTTPS only, probes on HTTPS. */
    @Test
    void tlsComponentServesThePortOverHttps() throws IOException {
        Path tls = K8S.resolve("components/tls");
        List<String> resources = componentResources(tls.resolve("kustomization.yaml"));
        assertTrue(resources.contains("certificate.yaml"), "the cert-manager Certificate example is listed");
        List<HasMetadata> certificate = load(tls.resolve("certificate.yaml"));
        assertEquals("Certificate", certificate.get(0).getKind());
        Deployment patch = one(tls.resolve("deployment-https.yaml"), Deployment.class, "serin");
        PodSpec pod = patch.getSpec().getTemplate().getSpec();
        assertEquals("serin-tls", pod.getVolumes().get(0).getSecret().getSecretName());
        Container c = pod.getContainers().get(0);
        Map<String, String> env = c.getEnv().stream().collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
        assertEquals("8080", env.get("QUARKUS_HTTP_SSL_PORT"));
        assertEquals("disabled", env.get("QUARKUS_HTTP_INSECURE_REQUESTS"));
        assertTrue(env.get("QUARKUS_HTTP_SSL_CERTIFICATE_FILES").startsWith(c.getVolumeMounts().get(0).getMountPath()));
        for (Probe probe : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
            assertEquals("HTTPS", probe.getHttpGet().getScheme());
        }
        assertFalse(kustomizationResources(K8S.resolve("kustomization.yaml")).stream().anyMatch(r -> r.contains("tls")),
                "the default install does not need TLS");
    }


    @Test
    void deploymentIsHardenedAndProbed() throws IOException {
        Deployment deployment = one(K8S.resolve("deployment.yaml"), Deployment.class, "serin");
        assertEquals(NAMESPACE, deployment.getMetadata().getNamespace());
        assertEquals(2, deployment.getSpec().getReplicas(), "replicas");
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertEquals("serin", pod.getServiceAccountName(), "serviceAccountName");
        assertEquals(30L, pod.getTerminationGracePeriodSeconds(), "terminationGracePeriodSeconds");

        PodSecurityContext podSecurity = pod.getSecurityContext();
        assertNotNull(podSecurity, "pod securityContext");
        assertEquals(Boolean.TRUE, podSecurity.getRunAsNonRoot(), "pod runAsNonRoot");
        assertEquals(185L, podSecurity.getRunAsUser(), "pod runAsUser");
        assertEquals("RuntimeDefault", podSecurity.getSeccompProfile().getType(), "seccompProfile");

        assertEquals(1, pod.getContainers().size(), "containers");
        Container c = pod.getContainers().get(0);
        SecurityContext security = c.getSecurityContext();
        assertNotNull(security, "container securityContext");
        assertEquals(Boolean.TRUE, security.getReadOnlyRootFilesystem(), "readOnlyRootFilesystem");
        assertEquals(Boolean.FALSE, security.getAllowPrivilegeEscalation(), "allowPrivilegeEscalation");
        assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), "capabilities.drop");

        // A read-only root needs a writable /tmp backed by an emptyDir.
        String tmpVolume = c.getVolumeMounts().stream()
                .filter(m -> "/tmp".equals(m.getMountPath()))
                .map(m -> m.getName())
                .findFirst().orElseThrow(() -> new AssertionError("no volume mounted at /tmp"));
        assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals(tmpVolume) && v.getEmptyDir() != null),
                "/tmp must be an emptyDir");

        assertHttpProbe(c.getLivenessProbe(), "/q/health/live", "livenessProbe");
        assertHttpProbe(c.getReadinessProbe(), "/q/health/ready", "readinessProbe");
        assertNotNull(c.getStartupProbe(), "startupProbe");
        assertNotNull(c.getStartupProbe().getHttpGet(), "startupProbe.httpGet");

        assertTrue(c.getPorts().stream().anyMatch(p -> "http".equals(p.getName()) && p.getContainerPort() == 8080),
                "container port 8080 named http");
        Map<String, String> env = c.getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(e -> e.getName(), e -> e.getValue()));
        assertEquals("8080", env.get("QUARKUS_HTTP_PORT"), "QUARKUS_HTTP_PORT");
        assertEquals("kubernetes", env.get("SERIN_API_AUTH"), "SERIN_API_AUTH");
        String javaOpts = env.getOrDefault("JAVA_OPTS_APPEND", "") + " " + env.getOrDefault("JAVA_TOOL_OPTIONS", "");
        assertTrue(javaOpts.contains("-XX:MaxRAMPercentage=") || javaOpts.contains("-Xmx"), "a max heap in " + javaOpts);

        assertEquals("256Mi", c.getResources().getRequests().get("memory").toString(), "memory request");
        assertEquals("100m", c.getResources().getRequests().get("cpu").toString(), "cpu request");
        assertEquals("512Mi", c.getResources().getLimits().get("memory").toString(), "memory limit");

        Map<String, String> annotations = deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals("/q/metrics", annotations.get("prometheus.io/path"));
        assertEquals("8080", annotations.get("prometheus.io/port"));

        // The Service and the PDB must select the Deployment's pods.
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        Service service = one(K8S.resolve("service.yaml"), Service.class, "serin");
        assertTrue(podLabels.entrySet().containsAll(service.getSpec().getSelector().entrySet()), "Service selector");
        assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == 8080 && "http".equals(p.getName())),
                "Service port 8080 named http");
        PodDisruptionBudget pdb = one(K8S.resolve("pdb.yaml"), PodDisruptionBudget.class, "serin");
        assertEquals(1, pdb.getSpec().getMinAvailable().getIntVal(), "PDB minAvailable");
        assertTrue(podLabels.entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()),
                "PDB selector");
    }

    // ---------------------------------------------------------------- RBAC

    @Test
    void controllerClusterRoleGrantsExactlyWhatTheControllerUses() throws IOException {
        ClusterRole role = one(K8S.resolve("rbac.yaml"), ClusterRole.class, "serin-controller");
        Set<String> expected = new TreeSet<>();
        grant(expected, "serin.dev", List.of("canaries"), "get", "list", "watch", "patch");
        grant(expected, "serin.dev", List.of("canaries/status"), "update");
        grant(expected, "apps", List.of("deployments"), "list", "watch", "create", "update", "delete");
        grant(expected, "networking.istio.io", List.of("virtualservices", "destinationrules"),
                "list", "watch", "create", "update", "delete");
        grant(expected, "gateway.networking.k8s.io", List.of("httproutes"), "list", "watch", "update");
        grant(expected, "", List.of("services"), "list", "watch", "create", "update", "delete");
        grant(expected, "discovery.k8s.io", List.of("endpointslices"), "list", "watch");
        grant(expected, "", List.of("events"), "create", "patch");
        assertEquals(expected, grants(role.getRules()), "serin-controller rules");
        assertTrue(role.getRules().stream().allMatch(r -> r.getResourceNames() == null || r.getResourceNames().isEmpty()),
                "serin-controller rules are not pinned to resourceNames");

        ClusterRoleBinding binding = one(K8S.resolve("rbac.yaml"), ClusterRoleBinding.class, "serin-controller");
        assertEquals("serin-controller", binding.getRoleRef().getName());
        assertEquals("ClusterRole", binding.getRoleRef().getKind());
        assertBoundToServiceAccount(binding.getSubjects(), "ClusterRoleBinding serin-controller");

        Role leases = one(K8S.resolve("rbac.yaml"), Role.class, "serin-leader-election");
        assertEquals(NAMESPACE, leases.getMetadata().getNamespace());
        Set<String> expectedLeases = new TreeSet<>();
        grant(expectedLeases, "coordination.k8s.io", List.of("leases"), "get", "create", "patch");
        assertEquals(expectedLeases, grants(leases.getRules()), "serin-leader-election rules");
        RoleBinding leaseBinding = one(K8S.resolve("rbac.yaml"), RoleBinding.class, "serin-leader-election");
        assertEquals("Role", leaseBinding.getRoleRef().getKind());
        assertEquals("serin-leader-election", leaseBinding.getRoleRef().getName());
        assertBoundToServiceAccount(leaseBinding.getSubjects(), "RoleBinding serin-leader-election");

        // the Datadog keys: get on the one Secret named serin-datadog in Serin's namespace, nothing more
        Role keys = one(K8S.resolve("rbac.yaml"), Role.class, "serin-datadog-keys");
        assertEquals(NAMESPACE, keys.getMetadata().getNamespace());
        assertEquals(1, keys.getRules().size());
        assertEquals(List.of(""), keys.getRules().get(0).getApiGroups());
        assertEquals(List.of("secrets"), keys.getRules().get(0).getResources());
        assertEquals(List.of("get"), keys.getRules().get(0).getVerbs());
        assertEquals(List.of("serin-datadog"), keys.getRules().get(0).getResourceNames(),
                "pinned to the Secret serin.analysis.datadog.secret names by default");
        RoleBinding keysBinding = one(K8S.resolve("rbac.yaml"), RoleBinding.class, "serin-datadog-keys");
        assertEquals("Role", keysBinding.getRoleRef().getKind());
        assertEquals("serin-datadog-keys", keysBinding.getRoleRef().getName());
        assertBoundToServiceAccount(keysBinding.getSubjects(), "RoleBinding serin-datadog-keys");
    }

    @Test
    void noRoleUsesWildcards() throws IOException {
        for (Path file : manifestFiles(K8S, true)) {
            for (HasMetadata o : load(file)) {
                List<PolicyRule> rules = o instanceof ClusterRole cr ? cr.getRules()
                        : o instanceof Role r ? r.getRules() : List.of();
                for (String grant : grants(rules)) {
                    assertFalse(grant.contains("*"), file + ": " + o.getKind() + "/" + name(o) + " grants " + grant);
                }
            }
        }
    }

    @Test
    void apiRbacBindsAuthRoleToServiceAccountAndDefinesCanaryOperator() throws IOException {
        Path file = K8S.resolve("api-rbac.yaml");
        ClusterRole auth = one(file, ClusterRole.class, "serin-api-auth");
        Set<String> authGrants = grants(auth.getRules());
        assertTrue(authGrants.contains("authentication.k8s.io/tokenreviews:create"), authGrants.toString());
        assertTrue(authGrants.contains("authorization.k8s.io/subjectaccessreviews:create"), authGrants.toString());
        ClusterRoleBinding binding = one(file, ClusterRoleBinding.class, "serin-api-auth");
        assertEquals("serin-api-auth", binding.getRoleRef().getName());
        assertBoundToServiceAccount(binding.getSubjects(), "ClusterRoleBinding serin-api-auth");

        // what the REST API does with Serin's identity and the controller's role does not grant
        Set<String> expectedApi = new TreeSet<>();
        grant(expectedApi, "serin.dev", List.of("canaries"), "create", "delete");
        grant(expectedApi, "", List.of("namespaces"), "get");
        assertEquals(expectedApi, grants(one(file, ClusterRole.class, "serin-api").getRules()), "serin-api rules");
        ClusterRoleBinding api = one(file, ClusterRoleBinding.class, "serin-api");
        assertEquals("ClusterRole", api.getRoleRef().getKind());
        assertEquals("serin-api", api.getRoleRef().getName());
        assertBoundToServiceAccount(api.getSubjects(), "ClusterRoleBinding serin-api");

        one(file, ClusterRole.class, "serin-canary-operator");
    }

    // ---------------------------------------------------------------- CRD

    @Test
    void crdDescribesCanaryWithStatusSubresource() throws IOException {
        CustomResourceDefinition crd = one(CRD, CustomResourceDefinition.class, "canaries.serin.dev");
        assertEquals(Canary.GROUP, crd.getSpec().getGroup());
        assertEquals("Canary", crd.getSpec().getNames().getKind());
        assertEquals("Namespaced", crd.getSpec().getScope());
        assertTrue(crd.getSpec().getVersions().stream()
                        .anyMatch(v -> v.getName().equals(Canary.VERSION) && v.getSubresources() != null
                                && v.getSubresources().getStatus() != null),
                Canary.VERSION + " with a status subresource");
    }

    @Test
    void checkedInCrdMatchesTheGeneratedOne() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(GENERATED_CRD),
                GENERATED_CRD + " not generated; run `mvn process-classes` to compare it with " + CRD);
        assertEquals(Files.readString(GENERATED_CRD), Files.readString(CRD),
                CRD + " is stale: copy " + GENERATED_CRD + " over it (the API types changed)");
    }

    // ---------------------------------------------------------------- examples

    @Test
    void exampleCanaryFitsTheApiTypesAndTheDemoApp() throws IOException {
        // Strict: a field the API types do not know (a typo) fails here, not silently in the cluster.
        ObjectMapper strict = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Canary canary = strict.readValue(EXAMPLES.resolve("canary.yaml").toFile(), Canary.class);
        assertEquals("shop", canary.getMetadata().getName());
        assertEquals("demo", canary.getMetadata().getNamespace());
        assertEquals(3.0, canary.getSpec().weight);
        assertEquals("v2", canary.getSpec().canary.version);
        assertEquals("version", canary.getSpec().traffic.subsetLabel);

        Path demo = EXAMPLES.resolve("demo-app.yaml");
        Deployment shop = one(demo, Deployment.class, canary.getSpec().targetRef.name);
        assertEquals("demo", shop.getMetadata().getNamespace());
        assertEquals(40, shop.getSpec().getReplicas());
        // The selector must not include the subset label, or the canary copy could not differ in it.
        assertEquals(Map.of("app", "shop"), shop.getSpec().getSelector().getMatchLabels(), "shop selector");
        Map<String, String> podLabels = shop.getSpec().getTemplate().getMetadata().getLabels();
        assertEquals("v1", podLabels.get(canary.getSpec().traffic.subsetLabel), "stable pods carry version=v1");
        Set<String> containers = shop.getSpec().getTemplate().getSpec().getContainers().stream()
                .map(Container::getName).collect(Collectors.toSet());
        canary.getSpec().canary.containers.forEach(
                p -> assertTrue(containers.contains(p.name), "canary patches unknown container " + p.name));

        Service service = one(demo, Service.class, canary.getSpec().traffic.host);
        assertEquals(Map.of("app", "shop"), service.getSpec().getSelector(), "Service shop selects stable and canary");
        for (String vs : canary.getSpec().traffic.virtualServices) {
            one(demo, io.fabric8.istio.api.networking.v1.VirtualService.class, vs);
        }
        io.fabric8.istio.api.networking.v1.DestinationRule rule =
                one(demo, io.fabric8.istio.api.networking.v1.DestinationRule.class, canary.getSpec().traffic.destinationRule);
        assertTrue(rule.getSpec().getSubsets() == null || rule.getSpec().getSubsets().isEmpty(),
                "the demo DestinationRule starts without subsets");
    }

    // ---------------------------------------------------------------- kustomize (needs kubectl)

    @Test
    void kustomizeRendersTheInstall() throws Exception {
        List<HasMetadata> rendered = kustomize(K8S);
        assertEquals(countDocuments(K8S), rendered.size(), "kustomize output documents");
        Set<String> kinds = rendered.stream().map(HasMetadata::getKind).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(Set.of("CustomResourceDefinition", "Namespace", "ServiceAccount", "ClusterRole",
                "ClusterRoleBinding", "Role", "RoleBinding", "Deployment", "Service", "PodDisruptionBudget")), kinds.toString());
    }

    @Test
    void kustomizeRendersTheExamples() throws Exception {
        List<HasMetadata> rendered = kustomize(EXAMPLES);
        assertEquals(countDocuments(EXAMPLES), rendered.size(), "kustomize output documents");
        Set<String> kinds = rendered.stream().map(HasMetadata::getKind).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(Set.of("Namespace", "Deployment", "Service", "VirtualService", "DestinationRule",
                "Canary")), kinds.toString());
    }

    // ---------------------------------------------------------------- helpers

    /** YAML files under dir, without kustomization.yaml; deep walks subfolders, otherwise dir's own files only. */
    private static List<Path> manifestFiles(Path dir, boolean deep) throws IOException {
        try (Stream<Path> files = deep ? Files.walk(dir) : Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                    .sorted()
                    .toList();
        }
    }

    /** Resources a kustomization renders: its own listed files (subfolders such as crd/ included). */
    private int countDocuments(Path dir) throws IOException {
        int n = 0;
        for (String resource : kustomizationResources(dir.resolve("kustomization.yaml"))) {
            n += load(dir.resolve(resource)).size();
        }
        return n;
    }

    private List<String> kustomizationResources(Path kustomization) throws IOException {
        return Manifests.kustomizationResources(kustomization);
    }

    /** The resources of a kustomize Component (an optional part an overlay adds to the install). */
    @SuppressWarnings("unchecked")
    private static List<String> componentResources(Path kustomization) throws IOException {
        Map<String, Object> k = new ObjectMapper(new YAMLFactory()).readValue(Files.readString(kustomization), Map.class);
        assertEquals("Component", k.get("kind"), kustomization + " is a kustomize Component");
        return (List<String>) k.get("resources");
    }

    private List<HasMetadata> load(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    private List<HasMetadata> parse(String yaml, String where) {
        try {
            return Manifests.parse(yaml, where);
        } catch (IllegalArgumentException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private <T extends HasMetadata> T one(Path file, Class<T> type, String name) throws IOException {
        List<T> found = load(file).stream()
                .filter(type::isInstance).map(type::cast)
                .filter(o -> name.equals(o.getMetadata().getName()))
                .toList();
        assertEquals(1, found.size(), "exactly one " + type.getSimpleName() + " " + name + " in " + file);
        return found.get(0);
    }

    private static void grant(Set<String> into, String group, List<String> resources, String... verbs) {
        for (String resource : resources) {
            for (String verb : verbs) {
                into.add(group + "/" + resource + ":" + verb);
            }
        }
    }

    /** Rules flattened to "group/resource:verb" (resourceNames ignored), so rule lists compare whatever their grouping. */
    private static Set<String> grants(List<PolicyRule> rules) {
        Set<String> out = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                grant(out, group, rule.getResources(), rule.getVerbs().toArray(String[]::new));
            }
        }
        return out;
    }

    private static void assertBoundToServiceAccount(List<Subject> subjects, String what) {
        assertEquals(1, subjects.size(), what + " subjects");
        Subject s = subjects.get(0);
        assertEquals("ServiceAccount", s.getKind(), what);
        assertEquals("serin", s.getName(), what);
        assertEquals(NAMESPACE, s.getNamespace(), what);
    }

    private static void assertHttpProbe(Probe probe, String path, String what) {
        assertNotNull(probe, what);
        assertNotNull(probe.getHttpGet(), what + ".httpGet");
        assertEquals(path, probe.getHttpGet().getPath(), what + " path");
    }

    private static void assertNotBlank(String s, String message) {
        assertTrue(s != null && !s.isBlank(), message);
    }

    private static String name(HasMetadata o) {
        return o.getMetadata() == null ? null : o.getMetadata().getName();
    }

    private static Optional<Path> onPath(String binary) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, binary))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Runs `kubectl kustomize dir` (offline: no cluster), asserts exit 0, returns the parsed output. */
    private List<HasMetadata> kustomize(Path dir) throws Exception {
        Optional<Path> kubectl = onPath("kubectl");
        Assumptions.assumeTrue(kubectl.isPresent(), KUBECTL_MISSING);
        Path stdout = Files.createTempFile("kustomize", ".out");
        Path stderr = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder(kubectl.get().toString(), "kustomize", dir.toString())
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("kubectl kustomize " + dir + " did not finish in 120 s");
            }
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), "kubectl kustomize " + dir + " failed: " + err);
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            assertFalse(out.isBlank(), "kubectl kustomize " + dir + " printed nothing");
            return parse(out, "kubectl kustomize " + dir);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
