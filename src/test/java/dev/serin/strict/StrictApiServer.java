package dev.serin.strict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.serin.strict.rbac.Identity;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * The scenario tests' API server: fabric8's mock server behind {@link StrictDispatcher}, with Serin's CRD from
 * k8s/crd, Istio's own networking CRDs of one Istio release from ../shared/istio and Gateway API's HTTPRoute CRD of
 * one Gateway API release from ../shared/gateway-api installed (each, or neither: {@link #NONE}), the serin-system
 * namespace created, and two tokens: Serin's ServiceAccount (what Serin's client sends) and an administrator's (what
 * the tests' own client sends, playing users and the other controllers of a cluster).
 */
public final class StrictApiServer implements AutoCloseable {
    public static final String DEFAULT_ISTIO = "1.29.6";
    public static final String DEFAULT_GATEWAY_API = "1.4.1";
    /** As an Istio or Gateway API release: not installed, so its group is not served at all (404, not in discovery). */
    public static final String NONE = "none";
    public static final Path SHARED_ISTIO = Path.of("../shared/istio");
    public static final Path SHARED_GATEWAY_API = Path.of("../shared/gateway-api");
    static final String SERIN_TOKEN = "serin-service-account-token";
    static final String ADMIN_TOKEN = "cluster-admin-token";
    private static final Logger LOG = Logger.getLogger(StrictApiServer.class);
    private static final YAMLMapper YAML = new YAMLMapper();

    private final Tokens tokens = new Tokens();
    private final StrictDispatcher dispatcher;
    private final KubernetesMockServer server;
    private final String istioVersion;
    private final String gatewayApiVersion;
    private KubernetesClient admin;
    private volatile boolean oldSerinCrd;

    public StrictApiServer(String istioVersion, Policies.Access access, Policies.Admission admission) {
        this(istioVersion, NONE, access, Policies.Defaulting.NONE, admission);
    }

    public StrictApiServer(String istioVersion, String gatewayApiVersion, Policies.Access access,
            Policies.Defaulting defaulting, Policies.Admission admission) {
        this(istioVersion, gatewayApiVersion, crds(crdFiles(istioVersion, gatewayApiVersion)), access, defaulting,
                admission);
    }

    StrictApiServer(String istioVersion, List<JsonNode> crds, Policies.Access access, Policies.Admission admission) {
        this(istioVersion, NONE, crds, access, Policies.Defaulting.NONE, admission);
    }

    StrictApiServer(String istioVersion, List<JsonNode> crds, Policies.Access access, Policies.Defaulting defaulting,
            Policies.Admission admission) {
        this(istioVersion, NONE, crds, access, defaulting, admission);
    }

    StrictApiServer(String istioVersion, String gatewayApiVersion, List<JsonNode> crds, Policies.Access access,
            Policies.Defaulting defaulting, Policies.Admission admission) {
        this.istioVersion = istioVersion;
        this.gatewayApiVersion = gatewayApiVersion;
        tokens.register(SERIN_TOKEN, Identity.SERIN);
        tokens.register(ADMIN_TOKEN, Identity.ADMIN);
        Policies.Admission unlessOldCrd = (served, object, old) -> oldSerinCrd && served.group().equals("serin.dev")
                ? List.of() : admission.check(served, object, old);
        // Istio's group is served schema-less when its release's CRDs are absent from ../shared, not at all when NONE
        boolean istioSchemaLess = !NONE.equals(istioVersion) && crds.stream().noneMatch(StrictApiServer::isIstio);
        dispatcher = new StrictDispatcher(new ApiCatalog(crds, !istioSchemaLess), tokens,
                access, defaulting, unlessOldCrd, Clock.systemUTC());
        server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(), new HashMap<>(),
                dispatcher, false);
    }

    public StrictApiServer start() {
        server.start(InetAddress.getLoopbackAddress(), 0);
        admin().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("serin-system").endMetadata()
                .build()).create();
        return this;
    }

    public String url() {
        return "http://localhost:" + server.getPort();
    }

    /** The Istio release whose CRDs are installed, or {@link #NONE}. */
    public String istioVersion() {
        return istioVersion;
    }

    /** The Gateway API release whose HTTPRoute CRD is installed, or {@link #NONE}. */
    public String gatewayApiVersion() {
        return gatewayApiVersion;
    }

    public Tokens tokens() {
        return tokens;
    }

    /**
     * Whether the cluster runs a Canary CRD from before its validation rules: objects it stored then, and writes to
     * them since, pass unchecked — what a cluster keeps from an older install, which Serin must still handle.
     */
    public void oldCanaryCrd(boolean old) {
        oldSerinCrd = old;
    }

    /** Writes a test chooses to meet a race (a 409) once. */
    public Faults faults() {
        return dispatcher.faults();
    }

    /**
     * Sends the watch events of {@code resource} (plural, e.g. destinationrules) {@code lag} late, in order;
     * {@link Duration#ZERO} ends it. A test that sets one ends it before it ends.
     */
    public void lagWatchEvents(String resource, java.time.Duration lag) {
        dispatcher.watchLag().set(resource, lag);
    }

    /** Writes (any method but GET) the server answered with an error status, oldest first: user, verb, code. */
    public List<String> refusedWrites(String user, String namespace) {
        return dispatcher.refused().stream().filter(r -> r.user().equals(user) && Objects.equals(r.namespace(), namespace))
                .map(r -> r.verb() + " " + r.resource() + " " + r.name() + ": " + r.code()).toList();
    }

    /** Every write stored so far, in the order the server stored them. */
    public List<Written.Write> writes() {
        return dispatcher.written().all();
    }

    /** Answers every SubjectAccessReview Serin sends with {@code reviewer} (the default allows nothing). */
    public void accessReviewer(UnaryOperator<SubjectAccessReview> reviewer) {
        dispatcher.accessReviewer(reviewer);
    }

    /**
     * A merge patch by the administrator, applied inside the server without the network: a write that must land while
     * the server is answering another request (from {@link #accessReviewer}), where a client's call would wait for the
     * very thread that has to answer it. Returns the HTTP status the server answered.
     */
    public int mergePatchInside(String path, String patch) {
        Headers headers = new Headers.Builder().add("Authorization", "Bearer " + ADMIN_TOKEN)
                .add("Content-Type", "application/merge-patch+json").add("User-Agent", "kubectl/v1.32.0").build();
        return dispatcher.dispatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, path, headers,
                new Buffer(patch.getBytes(StandardCharsets.UTF_8)))).code();
    }

    /**
     * Deletes the object just before Serin's next update or patch of it is handled, as another client deleting it
     * between Serin's cache read and its write would: that write answers 404, and the informers see the deletion.
     */
    public void deleteBeforeSerinsNextWrite(io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext kind,
            String namespace, String name) {
        dispatcher.deleteBeforeSerinsNextWrite(ApiCatalog.collectionPath(new ApiCatalog.Served(kind.getGroup(),
                kind.getVersion(), kind.getPlural(), kind.getKind(), true, false), namespace) + "/" + name);
    }

    /** A client with cluster-admin rights, for what the tests do as people and as the cluster's other controllers. */
    public synchronized KubernetesClient admin() {
        if (admin == null) {
            admin = client(ADMIN_TOKEN);
        }
        return admin;
    }

    /** A client that authenticates with {@code token}. */
    public KubernetesClient client(String token) {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url()).withOauthToken(token)
                .withTrustCerts(true).withNamespace("default").withRequestRetryBackoffLimit(0).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
        server.shutdown();
    }

    static List<JsonNode> crds(List<Path> crdFiles) {
        List<JsonNode> crds = new ArrayList<>();
        crdFiles.forEach(file -> crds.addAll(readYaml(file)));
        return crds;
    }

    /** The CRD files the server installs with Istio of that release and no Gateway API. */
    public static List<Path> crdFiles(String istioVersion) {
        return crdFiles(istioVersion, NONE);
    }

    /**
     * The CRD files the server installs: Serin's; Istio's of that release when ../shared/istio holds them (else
     * networking.istio.io/v1 is served schema-less); Gateway API's HTTPRoute CRD of that release when
     * ../shared/gateway-api holds it (else gateway.networking.k8s.io is not served). {@link #NONE} installs neither.
     */
    public static List<Path> crdFiles(String istioVersion, String gatewayApiVersion) {
        List<Path> files = new ArrayList<>(List.of(Path.of("k8s/crd/canaries.serin.dev-v1.yml")));
        if (!NONE.equals(istioVersion)) {
            Path istio = istioCrds(istioVersion);
            if (Files.exists(istio)) {
                files.add(istio);
            } else {
                LOG.warnf("%s is absent: the strict API server serves networking.istio.io/v1 without Istio's schemas", istio);
            }
        }
        if (!NONE.equals(gatewayApiVersion)) {
            Path gatewayApi = gatewayApiCrds(gatewayApiVersion);
            if (Files.exists(gatewayApi)) {
                files.add(gatewayApi);
            } else {
                LOG.warnf("%s is absent: the strict API server does not serve gateway.networking.k8s.io", gatewayApi);
            }
        }
        return files;
    }

    private static boolean isIstio(JsonNode crd) {
        return "networking.istio.io".equals(crd.path("spec").path("group").asText());
    }

    public static Path istioCrds(String istioVersion) {
        return SHARED_ISTIO.resolve("istio-" + istioVersion + "-networking-crds.yaml");
    }

    /** Gateway API's HTTPRoute CRD (standard channel) of a release, e.g. "1.4.1". */
    public static Path gatewayApiCrds(String gatewayApiVersion) {
        return SHARED_GATEWAY_API.resolve("gateway-api-v" + gatewayApiVersion + "-httproutes-crd.yaml");
    }

    static List<JsonNode> readYaml(Path file) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    documents.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }
}
