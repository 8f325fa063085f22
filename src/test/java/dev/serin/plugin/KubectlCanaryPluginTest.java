package dev.serin.plugin;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.CanaryTemplate;
import dev.serin.api.v1alpha1.ContainerPatch;
import dev.serin.api.v1alpha1.ObservedShare;
import dev.serin.api.v1alpha1.Phase;
import dev.serin.api.v1alpha1.TargetRef;
import dev.serin.playground.ApiServer;
import dev.serin.playground.DemoSeed;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/kubectl-canary} with the real kubectl against the playground's in-process API server, seeded with the
 * demo (namespace demo, Deployment shop). No Serin runs: where the plugin waits for the controller, the test plays it
 * (writes status, removes the finalizer).
 */
class KubectlCanaryPluginTest {
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String NS = DemoSeed.NAMESPACE;
    private static final String NO_CRD = "Serin is not installed in this cluster: no canaries.serin.dev CRD "
            + "(install with kubectl apply -k k8s/)";

    @TempDir
    static Path dir;
    private static boolean tools;
    private static ApiServer server;
    private static ApiServer bare;
    private static KubernetesClient client;
    private static Path kubeconfig;
    private static Path bareKubeconfig;
    private static Path plugin;

    @BeforeAll
    static void start() {
        tools = Scripts.findOnPath("kubectl") != null && Scripts.findOnPath("bash") != null;
        if (!tools) {
            return; // each test reports itself skipped, with the reason
        }
        plugin = Scripts.repo().resolve("bin/kubectl-canary");
        server = new ApiServer().start(0);
        client = server.client();
        DemoSeed.seed(client);
        kubeconfig = server.writeKubeconfig(dir.resolve("kubeconfig"), NS);
        bare = new ApiServer().start(0); // no CRD, no demo: a cluster without Serin
        bareKubeconfig = bare.writeKubeconfig(dir.resolve("bare-kubeconfig"), NS);
    }

    @BeforeEach
    void needsTools() {
        Scripts.assumeTools();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (bare != null) {
            bare.close();
        }
    }

    // ---- start -------------------------------------------------------------------------------------------------

    @Test
    void startCreatesTheCanaryWithTheVersionFromTheImageTag() {
        Scripts.Result r = ok("start", "shop", "--image", "app=registry.example/shop:v2", "--timeout", "0");
        assertTrue(r.out().contains("canary demo/shop started: 3 % of Deployment shop's traffic to version v2"), r.toString());
        assertTrue(r.out().contains("Serin has not reported on the canary"), r.toString());

        Canary c = canary("shop");
        assertNotNull(c, "the Canary was not created");
        assertEquals("shop", c.getSpec().targetRef.name);
        assertEquals(3.0, c.getSpec().weight);
        assertEquals("v2", c.getSpec().canary.version);
        assertEquals(1, c.getSpec().canary.containers.size());
        assertEquals("app", c.getSpec().canary.containers.get(0).name);
        assertEquals("registry.example/shop:v2", c.getSpec().canary.containers.get(0).image);
        delete("shop");
    }

    @Test
    void startTakesNameWeightVersionAndTheNamespaceAnywhere() {
        Scripts.Result r = ok("start", "--namespace=demo", "shop", "--name", "shop-b", "--weight", "0.50",
                "--image=app=registry.example:5000/shop", "--timeout", "0s", "--context", "serin-playground");
        assertTrue(r.out().contains("canary demo/shop-b started: 0.5 %"), r.toString());
        assertTrue(r.out().contains("next: kubectl canary status shop-b -n demo;"), r.toString());
        Canary c = canary("shop-b");
        assertEquals(0.5, c.getSpec().weight);
        assertEquals("canary", c.getSpec().canary.version, "no tag (5000 is the registry port): version canary");
        assertEquals("registry.example:5000/shop", c.getSpec().canary.containers.get(0).image);
        delete("shop-b");

        ok("start", "shop", "--name", "shop-c", "--image", "app=registry.example/shop:2.0.1", "--version", "rev-7",
                "--timeout", "0", "-n", "demo");
        assertEquals("rev-7", canary("shop-c").getSpec().canary.version);
        delete("shop-c");

        // --kubeconfig instead of KUBECONFIG
        Scripts.Result viaFlag = Scripts.start(dir.resolve("logs"), Scripts.environment(dir, null), plugin,
                List.of("start", "shop", "--name", "shop-d", "--image", "app=registry.example/shop:v3", "--timeout", "0",
                        "--kubeconfig", kubeconfig.toString()))
                .await(RUN_TIMEOUT);
        assertEquals(0, viaFlag.exit(), viaFlag.toString());
        assertEquals("v3", canary("shop-d").getSpec().canary.version);
        delete("shop-d");
    }

    @Test
    void startRefusesAMissingDeploymentOrContainerAndCreatesNothing() {
        Scripts.Result r = fails(1, "start", "nope", "--image", "app=registry.example/nope:v2", "--timeout", "0");
        assertTrue(r.err().contains("Deployment 'nope' not found in namespace demo"), r.toString());
        assertNull(canary("nope"));

        r = fails(1, "start", "shop", "--name", "shop-x", "--image", "web=registry.example/shop:v2", "--timeout", "0");
        assertTrue(r.err().contains("Deployment 'shop' has no container 'web' (its containers: app)"), r.toString());
        assertNull(canary("shop-x"));

        r = fails(2, "start", "shop", "--name", "shop-x", "--timeout", "0");
        assertTrue(r.err().contains("missing --image"), r.toString());
        r = fails(2, "start", "shop", "--name", "shop-x", "--image", "registry.example/shop:v2");
        assertTrue(r.err().contains("invalid --image 'registry.example/shop:v2'"), r.toString());
        r = fails(2, "start", "shop", "--name", "shop-x", "--image", "app=registry.example/shop:v2", "--weight", "101");
        assertTrue(r.err().contains("invalid weight '101'"), r.toString());
        assertNull(canary("shop-x"));
    }

    @Test
    void startPrintsTheDashboardLinkOnceSerinReportsIt() {
        Scripts.Running run = run("start", "shop", "--name", "shop-dash", "--image", "app=registry.example/shop:v2",
                "--timeout", "60s");
        await().atMost(DEADLINE).until(() -> canary("shop-dash") != null);
        playController("shop-dash", s -> {
            s.phase = Phase.Initializing;
            s.dashboardUrl = "https://dash.example/canary?ns=demo&name=shop-dash";
        });
        Scripts.Result r = run.await(RUN_TIMEOUT);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("dashboard: https://dash.example/canary?ns=demo&name=shop-dash"), r.toString());
        delete("shop-dash");

        run = run("start", "shop", "--name", "shop-nodash", "--image", "app=registry.example/shop:v2", "--timeout", "60");
        await().atMost(DEADLINE).until(() -> canary("shop-nodash") != null);
        playController("shop-nodash", s -> s.phase = Phase.Initializing);
        r = run.await(RUN_TIMEOUT);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("dashboard: none configured (Serin's serin.dashboard.url-template is not set)"),
                r.toString());
        delete("shop-nodash");
    }

    // ---- weight ------------------------------------------------------------------------------------------------

    @Test
    void weightSetsSpecWeightAndRefusesBadWeightsChangingNothing() {
        create("w1", 3);
        Scripts.Result r = ok("weight", "w1", "12.5");
        assertTrue(r.out().contains("canary demo/w1: weight set to 12.5 %"), r.toString());
        assertEquals(12.5, canary("w1").getSpec().weight);
        ok("weight", "w1", "0.50");
        assertEquals(0.5, canary("w1").getSpec().weight);
        ok("weight", "w1", "100");
        assertEquals(100.0, canary("w1").getSpec().weight);
        ok("weight", "w1", "0");
        assertEquals(0.0, canary("w1").getSpec().weight);
        ok("weight", "w1", "0.25");

        String version = canary("w1").getMetadata().getResourceVersion();
        for (String bad : List.of("101", "-1", "0.123", "abc", "100.5", "1e2", "", " 5", "5%", "3.")) {
            Scripts.Result refused = fails(2, "weight", "w1", bad);
            assertTrue(refused.err().contains("invalid weight '" + bad + "'"), refused.toString());
            assertTrue(refused.err().contains("a percent from 0 to 100 with at most 2 decimals"), refused.toString());
        }
        assertEquals(0.25, canary("w1").getSpec().weight);
        assertEquals(version, canary("w1").getMetadata().getResourceVersion(), "a refused weight changed the Canary");

        r = fails(1, "weight", "nope", "5");
        assertTrue(r.err().contains("no Canary 'nope' in namespace demo"), r.toString());
        r = fails(2, "weight", "w1");
        assertTrue(r.err().contains("missing percent"), r.toString());
        delete("w1");
    }

    @Test
    void weightWaitEndsWhenTrafficCarriesTheWeightOrAtTheTimeout() {
        create("w2", 3);
        Scripts.Running run = run("weight", "w2", "7", "--wait", "--timeout", "60s");
        await().atMost(DEADLINE).until(() -> canary("w2").getSpec().weight == 7.0);
        assertTrue(run.isAlive(), "returned before status.weight was 7");
        playController("w2", s -> s.weight = 7.0);
        Scripts.Result r = run.await(RUN_TIMEOUT);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("canary demo/w2: traffic is at 7 %"), r.toString());

        r = fails(1, "weight", "w2", "8", "--wait", "--timeout", "1s");
        assertTrue(r.err().contains("traffic is not at 8 % after 1s (status.weight: 7"), r.toString());
        assertEquals(8.0, canary("w2").getSpec().weight, "the weight is set even when the wait runs out");
        delete("w2");
    }

    // ---- pause, resume, abort, promote -----------------------------------------------------------------------

    @Test
    void pauseResumeAbortAndPromoteSetTheFieldOrTheRequestAnnotation() {
        create("p1", 3);
        Scripts.Result r = ok("pause", "p1");
        assertTrue(r.out().contains("canary demo/p1 paused"), r.toString());
        assertEquals(Boolean.TRUE, canary("p1").getSpec().paused);
        assertNull(action("p1"));

        r = ok("resume", "p1");
        assertTrue(r.out().contains("canary demo/p1 resumed"), r.toString());
        assertEquals(Boolean.FALSE, canary("p1").getSpec().paused);
        assertEquals("resume", action("p1"));

        r = ok("abort", "p1");
        assertTrue(r.out().contains("canary demo/p1: abort requested"), r.toString());
        assertEquals("abort", action("p1"));

        clearAction("p1"); // what Serin does once it has carried the request out
        r = ok("promote", "p1");
        assertTrue(r.out().contains("canary demo/p1: promote requested"), r.toString());
        assertEquals("promote", action("p1"));
        assertEquals(3.0, canary("p1").getSpec().weight, "the weight stays");

        r = fails(1, "abort", "nope");
        assertTrue(r.err().contains("no Canary 'nope' in namespace demo"), r.toString());
        delete("p1");
    }

    // ---- status ------------------------------------------------------------------------------------------------

    @Test
    void statusShowsATableOfOneCanaryOrAllOfANamespaceOrOfAllNamespaces() {
        namespace("st");
        namespace("st-other");
        namespace("st-empty");
        create("st", "alpha", "shop", 3);
        playController("st", "alpha", s -> {
            s.phase = Phase.Progressing;
            s.weight = 3.0;
            s.replicas = 2;
            s.readyReplicas = 1;
            s.nextStepAt = "2026-01-01T10:05:00Z";
            s.observed = new ObservedShare();
            s.observed.share = 3.12;
            s.observed.requests = 2400L;
            s.observed.window = "1m";
        });
        create("st", "beta", "cart", 0.25);
        create("st-other", "gamma", "shop", 50);
        playController("st-other", "gamma", s -> {
            s.phase = Phase.Progressing;
            s.weight = 50.0;
            s.replicas = 20;
            s.observed = new ObservedShare();
            s.observed.requests = 12L;
            s.observed.window = "1m";
            s.observed.message = "not enough requests: fewer than 100 in the last 1m";
        });
        client.resources(Canary.class).inNamespace("st-other").withName("gamma").edit(c -> {
            c.getSpec().paused = true;
            return c;
        });

        create("st-other", "delta", "cart", 1);
        client.resources(Canary.class).inNamespace("st-other").withName("delta").edit(c -> {
            c.getSpec().paused = true;
            return c;
        });
        playController("st-other", "delta", s -> {
            s.phase = Phase.Paused;
            s.observed = new ObservedShare();
            s.observed.window = "1m";
            s.observed.message = "cannot reach Prometheus at http://prometheus:9090|x: ConnectException";
        });

        create("st-other", "epsilon", "cart", 25);
        client.resources(Canary.class).inNamespace("st-other").withName("epsilon").edit(c -> {
            c.getSpec().traffic = new dev.serin.api.v1alpha1.TrafficSpec();
            c.getSpec().traffic.httpRoutes = List.of("cart");
            return c;
        });
        playController("st-other", "epsilon", s -> {
            s.phase = Phase.Progressing;
            s.weight = 25.0;
            s.weightChangedAt = "2026-01-01T10:05:00Z";
            s.observed = new ObservedShare();
            s.observed.message = "settling since the weight changed to 25 % at 2026-01-01T10:05:00Z: fewer than 100 "
                    + "requests since";
        });

        List<String> lines = lines(ok("status", "-n", "st").out());
        assertEquals(List.of("NAME", "TARGET", "DESIRED", "WEIGHT", "OBSERVED", "PHASE", "READY", "NEXT", "STEP",
                "DIALECT"),
                words(lines.get(0)));
        assertTrue(lines.get(0).contains("NEXT STEP"), lines.get(0));
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertEquals(List.of("alpha", "shop", "3", "3", "3.12", "Progressing", "1/2", "2026-01-01T10:05:00Z",
                "istio"),
                words(lines.get(1)));
        assertEquals(List.of("beta", "cart", "0.25", "-", "-", "-", "-", "-", "istio"), words(lines.get(2)));
        assertEquals(lines.get(0).indexOf("OBSERVED"), lines.get(1).indexOf("3.12"));
        // columns line up like kubectl's
        assertEquals(lines.get(0).indexOf("TARGET"), lines.get(1).indexOf("shop"));
        assertEquals(lines.get(0).indexOf("NEXT STEP"), lines.get(1).indexOf("2026-"));

        lines = lines(ok("status", "alpha", "-n", "st").out());
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertEquals("alpha", words(lines.get(1)).get(0));

        String all = ok("status", "-A").out();
        lines = lines(all);
        assertEquals("NAMESPACE", words(lines.get(0)).get(0));
        assertTrue(lines.contains(lineOf(all, "st", "alpha")), all);
        List<String> gamma = words(lineOf(all, "st-other", "gamma"));
        assertEquals(List.of("st-other", "gamma", "shop", "50", "50", "not", "enough", "requests", "Progressing",
                "(paused)", "0/20", "-", "istio"), gamma);
        assertEquals(List.of("st-other", "delta", "cart", "1", "-", "unmeasured", "Paused", "-", "-", "istio"),
                words(lineOf(all, "st-other", "delta")));
        assertEquals(List.of("st-other", "epsilon", "cart", "25", "25", "settling", "Progressing", "-", "-",
                "gateway-api"),
                words(lineOf(all, "st-other", "epsilon")), "too soon after a weight change to say");

        assertEquals("No canaries in namespace st-empty.", ok("status", "-n", "st-empty").out().trim());
        Scripts.Result r = fails(1, "status", "nope", "-n", "st");
        assertTrue(r.err().contains("no Canary 'nope' in namespace st"), r.toString());
    }

    // ---- stop ----------------------------------------------------------------------------------------------------

    @Test
    void stopDeletesTheCanaryAndWaitsUntilTheControllerLetsGo() {
        create("s1", 3);
        Scripts.Result r = ok("stop", "s1");
        assertTrue(r.out().contains("canary demo/s1 stopped: traffic restored to Deployment shop"), r.toString());
        assertNull(canary("s1"));

        // with Serin's finalizer the Canary stays until the controller has restored traffic: the test plays it
        Canary held = canaryObject(NS, "s2", "shop", 3);
        held.getMetadata().setFinalizers(List.of(Canary.FINALIZER));
        client.resources(Canary.class).inNamespace(NS).resource(held).create();
        Scripts.Running run = run("stop", "s2", "--timeout", "60s");
        await().atMost(DEADLINE).until(() -> canary("s2").getMetadata().getDeletionTimestamp() != null);
        assertTrue(run.isAlive(), "stop returned while the finalizer still held the Canary");
        client.resources(Canary.class).inNamespace(NS).withName("s2").edit(c -> {
            c.getMetadata().setFinalizers(new ArrayList<>());
            return c;
        });
        r = run.await(RUN_TIMEOUT);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("canary demo/s2 stopped: traffic restored"), r.toString());
        assertNull(canary("s2"));

        // a controller that never lets go: stop gives up at its timeout and says why
        Canary stuck = canaryObject(NS, "s3", "shop", 3);
        stuck.getMetadata().setFinalizers(List.of(Canary.FINALIZER));
        client.resources(Canary.class).inNamespace(NS).resource(stuck).create();
        r = fails(1, "stop", "s3", "--timeout", "1s");
        assertTrue(r.err().contains("canary demo/s3 is still there after 1s: Serin holds it (finalizer serin.dev/finalizer)"),
                r.toString());
        client.resources(Canary.class).inNamespace(NS).withName("s3").edit(c -> {
            c.getMetadata().setFinalizers(new ArrayList<>());
            return c;
        });
        await().atMost(DEADLINE).until(() -> canary("s3") == null);

        r = fails(1, "stop", "nope");
        assertTrue(r.err().contains("no Canary 'nope' in namespace demo"), r.toString());
    }

    // ---- errors and help ---------------------------------------------------------------------------------------

    @Test
    void aMissingNameIsAClearUsageError() {
        for (String command : List.of("weight", "pause", "resume", "abort", "promote", "stop")) {
            Scripts.Result r = fails(2, command);
            assertTrue(r.err().contains("kubectl canary: error: missing canary name: kubectl canary " + command + " <name>"),
                    r.toString());
            assertTrue(r.err().contains("Run 'kubectl canary help' for usage."), r.toString());
        }
        Scripts.Result r = fails(2, "start", "--image", "app=x:v2");
        assertTrue(r.err().contains("missing deployment"), r.toString());
        r = fails(2, "pause", "a", "b");
        assertTrue(r.err().contains("unexpected argument 'b'"), r.toString());
        r = fails(2, "launch", "x");
        assertTrue(r.err().contains("unknown command 'launch'"), r.toString());
        r = fails(2, "status", "--frobnicate");
        assertTrue(r.err().contains("unknown option --frobnicate"), r.toString());
    }

    @Test
    void withoutTheSerinCrdEveryCommandSaysSerinIsNotInstalled() {
        for (List<String> args : List.of(List.of("status"), List.of("weight", "shop", "5"), List.of("pause", "shop"),
                List.of("stop", "shop"), List.of("start", "shop", "--image", "app=registry.example/shop:v2"))) {
            Scripts.Result r = Scripts.start(dir.resolve("logs"), Scripts.environment(dir, bareKubeconfig), plugin, args)
                    .await(RUN_TIMEOUT);
            assertEquals(1, r.exit(), args + ": " + r);
            assertEquals("kubectl canary: error: " + NO_CRD + "\n", r.err(), args + ": " + r);
        }
    }

    @Test
    void helpAndThePluginThroughKubectl() {
        Scripts.Result help = ok("help");
        for (String command : List.of("start", "weight", "pause", "resume", "abort", "promote", "status", "stop")) {
            assertTrue(help.out().contains("kubectl canary " + command), help.toString());
        }
        assertEquals(help.out(), ok("-h").out());
        assertEquals(help.out(), ok("--help").out());
        Scripts.Result bare = fails(2);
        assertTrue(bare.err().contains("Usage:"), bare.toString());

        // kubectl finds kubectl-canary on PATH and hands it everything after "canary"
        Map<String, String> env = Scripts.environment(dir, kubeconfig);
        env.put("PATH", plugin.getParent() + ":" + env.get("PATH"));
        Path kubectl = Scripts.findOnPath("kubectl");
        Path script = dir.resolve("via-kubectl.sh");
        writeScript(script, "exec " + kubectl + " canary \"$@\"\n");
        Scripts.Result r = Scripts.start(dir.resolve("logs"), env, script, List.of("status", "-n", "st-none"))
                .await(RUN_TIMEOUT);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("No canaries in namespace st-none.", r.out().trim());
    }

    @Test
    void testersSetsShowsAndClearsSpecTestersAndStatusShowsThem() {
        create("t1", 0);
        Scripts.Result r = ok("testers", "t1", "--header", "x-canary=always", "--cookie", "canary=1",
                "--header-regex", "x-user=^(ann|bo)$");
        assertTrue(r.out().contains("canary demo/t1 testers: header x-canary=always, cookie canary=1, header x-user~^(ann|bo)$"),
                r.toString());
        var testers = canary("t1").getSpec().testers;
        assertEquals(3, testers.size());
        assertEquals("always", testers.get(0).header.value);
        assertEquals("1", testers.get(1).cookie.value);
        assertEquals(Boolean.TRUE, testers.get(2).header.regex);
        r = ok("status", "t1");
        assertTrue(r.out().contains("testers: header x-canary=always, cookie canary=1"), r.toString());
        r = ok("testers", "t1");
        assertTrue(r.out().contains("testers: header x-canary=always"), r.toString());

        String version = canary("t1").getMetadata().getResourceVersion();
        assertTrue(fails(2, "testers", "t1", "--header", "X-Canary=1").err().contains("invalid header name"));
        assertTrue(fails(2, "testers", "t1", "--cookie", "canary=a;b").err().contains("invalid cookie value"));
        assertTrue(fails(2, "testers", "t1", "--header", "x-canary").err().contains("use <name>=<value>"));
        assertEquals(version, canary("t1").getMetadata().getResourceVersion(), "a refused tester changed the Canary");

        r = ok("testers", "t1", "--clear");
        assertTrue(r.out().contains("testers: none"), r.toString());
        assertNull(canary("t1").getSpec().testers);
        assertFalse(ok("status", "t1").out().contains("testers:"));
        delete("t1");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static Scripts.Running run(String... args) {
        return Scripts.start(dir.resolve("logs"), Scripts.environment(dir, kubeconfig), plugin, Arrays.asList(args));
    }

    private static Scripts.Result ok(String... args) {
        Scripts.Result r = run(args).await(RUN_TIMEOUT);
        assertEquals(0, r.exit(), () -> "kubectl canary " + String.join(" ", args) + ": " + r);
        return r;
    }

    private static Scripts.Result fails(int exit, String... args) {
        Scripts.Result r = run(args).await(RUN_TIMEOUT);
        assertEquals(exit, r.exit(), () -> "kubectl canary " + String.join(" ", args) + ": " + r);
        assertNotEquals("", r.err(), "an error should say why on stderr");
        return r;
    }

    private static Canary canary(String name) {
        return client.resources(Canary.class).inNamespace(NS).withName(name).get();
    }

    private static String action(String name) {
        Map<String, String> annotations = canary(name).getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get("serin.dev/action");
    }

    private static void clearAction(String name) {
        client.resources(Canary.class).inNamespace(NS).withName(name).edit(c -> {
            c.getMetadata().getAnnotations().remove("serin.dev/action");
            return c;
        });
        assertNull(action(name));
    }

    private static Canary canaryObject(String namespace, String name, String target, double weight) {
        Canary c = new Canary();
        c.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        CanarySpec spec = new CanarySpec();
        spec.targetRef = new TargetRef(target);
        spec.weight = weight;
        spec.canary = new CanaryTemplate();
        spec.canary.version = "v2";
        spec.canary.containers = List.of(new ContainerPatch("app", "registry.example/" + target + ":v2"));
        c.setSpec(spec);
        return c;
    }

    private static void create(String name, double weight) {
        create(NS, name, "shop", weight);
    }

    private static void create(String namespace, String name, String target, double weight) {
        client.resources(Canary.class).inNamespace(namespace).resource(canaryObject(namespace, name, target, weight))
                .create();
    }

    private static void namespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    private static void delete(String name) {
        client.resources(Canary.class).inNamespace(NS).withName(name).delete();
        await().atMost(DEADLINE).until(() -> canary(name) == null);
    }

    /** Writes status the way Serin's StatusWriter does: through the status subresource. */
    private static void playController(String name, Consumer<CanaryStatus> change) {
        playController(NS, name, change);
    }

    private static void playController(String namespace, String name, Consumer<CanaryStatus> change) {
        Canary c = client.resources(Canary.class).inNamespace(namespace).withName(name).get();
        CanaryStatus status = c.getStatus() == null ? new CanaryStatus() : c.getStatus();
        change.accept(status);
        c.setStatus(status);
        client.resources(Canary.class).inNamespace(namespace).resource(c).updateStatus();
    }

    private static List<String> lines(String out) {
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    private static List<String> words(String line) {
        return Arrays.asList(line.trim().split("\\s+"));
    }

    private static String lineOf(String table, String namespace, String name) {
        return table.lines().filter(l -> words(l).size() > 1 && words(l).get(0).equals(namespace)
                && words(l).get(1).equals(name)).findFirst().orElseThrow(() -> new AssertionError(
                        "no row " + namespace + "/" + name + " in\n" + table));
    }

    private static void writeScript(Path file, String body) {
        try {
            java.nio.file.Files.writeString(file, "#!/usr/bin/env bash\n" + body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertFalse(body.isBlank());
    }
}
