package dev.serin.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.serin.Fixture;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.cluster.IstioResources;
import dev.serin.reconcile.Controller;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.common.QuarkusTestResource;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Serin's benchmark (issue: weight-change latency, the limit, convergence, restart, idle cost, memory,
 * throughput) against fabric8's CRUD mock API server in this JVM. Not part of {@code mvn -B test} (the name does
 * not match surefire's default includes); run it with {@code mvn -B test -Pbenchmark} or {@code bench/run}.
 * Measures and records; asserts nothing about timings. Results go to bench/results/&lt;date&gt;.json.
 *
 * <p>Sizes and durations come from system properties (defaults are the full run): bench.canaries (1000),
 * bench.namespaces (50), bench.small (100), bench.idle (PT5M), bench.latency.seconds (60), bench.latency.rate (20),
 * bench.steps (20,50,100,200,400,800), bench.step.seconds (20).
 */
@QuarkusTest
@TestProfile(BenchmarkProfile.class)
@QuarkusTestResource(value = ApiServerProcess.class, restrictToAnnotatedClass = true)
class ServingBenchmark {
    static final int CANARIES = Integer.getInteger("bench.canaries", 1000);
    static final int NAMESPACES = Integer.getInteger("bench.namespaces", 50);
    static final int SMALL = Integer.getInteger("bench.small", 100);
    static final Duration IDLE = Duration.parse(System.getProperty("bench.idle", "PT5M"));
    static final int LATENCY_SECONDS = Integer.getInteger("bench.latency.seconds", 60);
    static final double LATENCY_RATE = Double.parseDouble(System.getProperty("bench.latency.rate", "20"));
    static final String STEPS = System.getProperty("bench.steps", "20,50,100,200,400,800");
    static final int STEP_SECONDS = Integer.getInteger("bench.step.seconds", 20);
    /** Canaries created one by one while Serin runs (0 skips the phase), and how many a second. */
    static final int ARRIVALS = Integer.getInteger("bench.arrivals", Math.max(100, CANARIES / 10));
    static final double ARRIVAL_RATE = Double.parseDouble(System.getProperty("bench.arrival.rate", "20"));
    static final int STABLE_REPLICAS = 10;
    static final int CANARY_REPLICAS = 2;
    static final Duration WAIT = Duration.ofSeconds(30);
    static final IstioResources ISTIO = IstioResources.at("v1"); // what IstioDiscovery.V1 serves

    @Inject
    KubernetesClient serinClient;
    @Inject
    Controller controller;
    @Inject
    MeterRegistry registry;

    static KubernetesClient bench;
    static RequestTally tally;
    static FakeDeploymentController deployments;
    static BareRoundTrip bare;
    static RouteWatch routes;
    static Watch routeWatch;
    static ExecutorService senders;
    static HttpClient http;

    final Map<String, Object> results = new LinkedHashMap<>();
    final Map<String, Integer> desired = new ConcurrentHashMap<>(); // canary key -> basis points
    final List<String> keys = new ArrayList<>(); // the big set, ns/name (Canary, target, VirtualService share it)
    Path resultFile;

    @Test
    void benchmark() throws Exception {
        setUp();
        results.put("machine", Machine.describe());
        results.put("settings", settings());
        checkpoint();

        // 5. memory with no Canary: Serin running, then stopped (the mock API server alone)
        awaitReady(Duration.ofSeconds(60));
        Map<String, Object> memory = new LinkedHashMap<>();
        results.put("memory", memory);
        memory.put("0", memoryPoint());
        checkpoint();

        // a first, small set, for the 100-Canary memory point; then removed through Serin (-Dbench.small=0 skips it)
        if (SMALL > 0) {
            memory.put(String.valueOf(SMALL), smallSet());
            checkpoint();
        }

        // 3. convergence of the big set, created while Serin is stopped
        results.put("convergence", converge());
        checkpoint();

        // 3. restart: stop() and start() of the controller in-process; memory at the big size on the way
        results.put("restart", restart(memory));
        checkpoint();

        // 4. idle cost; then a forced resync, which must write nothing either
        results.put("idle", idle());
        checkpoint();
        results.put("resync", resync());
        checkpoint();

        // 1 and 2. weight-change latency through the Canary and through REST, with the bare round trip beside it
        deleteEvents();
        Map<String, Object> latency = new LinkedHashMap<>();
        results.put("latency", latency);
        bare.start(LATENCY_RATE);
        Thread.sleep(Math.min(20, LATENCY_SECONDS) * 1000L);
        latency.put("bare_alone", bare.stop());
        latency.put("spec_patch", drive("spec", LATENCY_RATE, LATENCY_SECONDS, this::patchSpec, LATENCY_RATE));
        checkpoint();
        deleteEvents();
        latency.put("rest_put", drive("rest", LATENCY_RATE, LATENCY_SECONDS, this::putRest, LATENCY_RATE));
        checkpoint();

        // 3. Canaries arriving at a steady rate while Serin runs: its queue depth when it is not handed all at once
        if (ARRIVALS > 0) {
            deleteEvents();
            results.put("arrivals", arrivals());
            checkpoint();
        }

        // 6. throughput: step the rate up until p99 more than doubles (-Dbench.steps= skips it)
        if (!STEPS.isBlank() && !"none".equals(STEPS)) {
            results.put("throughput", throughput());
            checkpoint();
        }
        results.put("finished", OffsetDateTime.now().toString());
        results.put("loadavg_end", Machine.loadavg());
        checkpoint();
        System.out.println("[bench] results written to " + resultFile.toAbsolutePath());
    }

    // ---------------------------------------------------------------------------------------------- set-up

    void setUp() throws Exception {
        resultFile = resultPath();
        bench = new KubernetesClientBuilder().withConfig(new ConfigBuilder(serinClient.getConfiguration())
                .withUserAgent(RequestTally.BENCH_AGENT)
                .withMaxConcurrentRequests(256)
                .withMaxConcurrentRequestsPerHost(256)
                .withRequestTimeout(60_000)
                .build()).build();
        tally = new RequestTally(System.getProperty("bench.apiserver.url"));
        routes = new RouteWatch();
        routeWatch = bench.genericKubernetesResources(ISTIO.virtualServices()).inAnyNamespace().watch(routes);
        deployments = new FakeDeploymentController(bench);
        bare = new BareRoundTrip(bench);
        senders = Executors.newFixedThreadPool(64, r -> {
            Thread t = new Thread(r, "bench-sender");
            t.setDaemon(true);
            return t;
        });
        // its own executor: a sender blocked in send() must not hold a thread the client needs to deliver responses
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] {deployments, bare}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing only
            }
        }
        if (routeWatch != null) {
            routeWatch.close();
        }
        if (senders != null) {
            senders.shutdownNow();
        }
        if (bench != null) {
            bench.close();
        }
    }

    Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        m.put("canaries", CANARIES);
        m.put("namespaces", NAMESPACES);
        m.put("small_set", SMALL);
        m.put("idle_requested", IDLE.toString());
        m.put("latency_seconds", LATENCY_SECONDS);
        m.put("latency_rate_per_s", LATENCY_RATE);
        m.put("steps_per_s", STEPS);
        m.put("step_seconds", STEP_SECONDS);
        m.put("arrivals", ARRIVALS);
        m.put("arrival_rate_per_s", ARRIVAL_RATE);
        m.put("stable_replicas", STABLE_REPLICAS);
        m.put("canary_replicas_fixed", CANARY_REPLICAS);
        m.put("serin.traffic.settle", config.getOptionalValue("serin.traffic.settle", String.class).orElse("?"));
        m.put("serin.reconcile.workers", config.getOptionalValue("serin.reconcile.workers", String.class).orElse("2 (default)"));
        m.put("serin.api.auth", config.getOptionalValue("serin.api.auth", String.class).orElse("?"));
        m.put("serin.reconcile.min-backoff", config.getOptionalValue("serin.reconcile.min-backoff", String.class).orElse("?"));
        m.put("serin.reconcile.max-backoff", config.getOptionalValue("serin.reconcile.max-backoff", String.class).orElse("?"));
        m.put("quarkus", System.getProperty("bench.quarkus.version", "?"));
        m.put("fabric8", System.getProperty("bench.fabric8.version", "?"));
        m.put("git", System.getProperty("bench.git", "?"));
        m.put("apiserver", "fabric8 kubernetes-server-mock " + System.getProperty("bench.fabric8.version", "?")
                + " CRUD dispatcher over an indexed store (IndexedStore), in its own JVM (ApiServerProcess), pid "
                + System.getProperty("bench.apiserver.pid") + ", -Xmx" + System.getProperty("bench.apiserver.xmx", "3g"));
        return m;
    }

    /** Namespace {@code prefix}-NN with Deployments, VirtualServices, DestinationRules and Canaries prefix-NNNN. */
    List<String> createCanaries(String prefix, int count, int namespaces) throws Exception {
        List<Future<List<String>>> futures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        int perNamespace = (count + namespaces - 1) / namespaces;
        for (int n = 0; n < namespaces; n++) {
            int first = n * perNamespace;
            int last = Math.min(count, first + perNamespace);
            if (first >= last) {
                break;
            }
            String ns = String.format("%s-%02d", prefix, n);
            futures.add(pool.submit(() -> {
                Fixture f = new Fixture(bench, ns);
                List<String> made = new ArrayList<>();
                for (int i = first; i < last; i++) {
                    String name = String.format("svc-%04d", i);
                    f.service(name, STABLE_REPLICAS);
                    int bp = randomWeight(-1);
                    Canary c = f.canary(name, name, bp / 100.0, "v2");
                    c.getSpec().canary.replicas = CANARY_REPLICAS;
                    f.create(c);
                    desired.put(ns + "/" + name, bp);
                    made.add(ns + "/" + name);
                }
                return made;
            }));
        }
        List<String> all = new ArrayList<>();
        for (Future<List<String>> f : futures) {
            all.addAll(f.get(10, TimeUnit.MINUTES));
        }
        pool.shutdown();
        return all;
    }

    /** 1.00 % to 99.00 % in hundredths; never 0 or 100 (they change the route's shape, not its weights). */
    static int randomWeight(int not) {
        while (true) {
            int bp = ThreadLocalRandom.current().nextInt(100, 9901);
            if (bp != not) {
                return bp;
            }
        }
    }

    // ----------------------------------------------------------------------------------------- phases

    Map<String, Object> smallSet() throws Exception {
        controller.stop();
        List<String> small = createCanaries("small", SMALL, Math.max(1, SMALL / 20));
        long t0 = System.nanoTime();
        List<RouteWatch.Expected> expected = expectAll(small);
        controller.start();
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("converged_all", awaitAll(expected, Duration.ofMinutes(5)));
        point.put("convergence_s", Stats.round((lastSeen(expected) - t0) / 1e9));
        awaitReady(Duration.ofMinutes(2));
        point.putAll(memoryPoint());
        // remove the small set through Serin (finalizers), then what it stood on, so the big set starts clean
        for (String key : small) {
            bench.resources(Canary.class).inNamespace(ns(key)).withName(name(key)).delete();
        }
        boolean gone = await(Duration.ofMinutes(3), () -> small.stream().allMatch(
                k -> bench.resources(Canary.class).inNamespace(ns(k)).withName(name(k)).get() == null));
        point.put("removed_through_serin", gone);
        for (String key : small) {
            desired.remove(key);
            bench.apps().deployments().inNamespace(ns(key)).withName(name(key)).delete();
            bench.genericKubernetesResources(ISTIO.virtualServices()).inNamespace(ns(key)).withName(name(key)).delete();
            bench.genericKubernetesResources(ISTIO.destinationRules()).inNamespace(ns(key)).withName(name(key)).delete();
        }
        deleteEvents();
        awaitReady(Duration.ofMinutes(2));
        return point;
    }

    Map<String, Object> converge() throws Exception {
        controller.stop();
        long c0 = System.nanoTime();
        keys.addAll(createCanaries("ns", CANARIES, NAMESPACES));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("setup_create_s", Stats.round((System.nanoTime() - c0) / 1e9));
        Map<String, Long> before = settledTally();
        List<RouteWatch.Expected> expected = expectAll(keys);
        Timer reconcile = registry.find("serin.reconcile").timer();
        long reconciles0 = reconcile == null ? 0 : reconcile.count();
        double reconcileMs0 = reconcile == null ? 0 : reconcile.totalTime(TimeUnit.MILLISECONDS);
        long cpu0 = Machine.processCpuNanos();
        long serinCpu0 = serinThreadCpu();
        Map<String, Long> groups0 = threadCpuByGroup();
        double server0 = apiServerCpu();
        PhaseCost cost = new PhaseCost(registry, tally);
        long t0 = System.nanoTime();
        QueueSampler queue = new QueueSampler(controller::queueDepth);
        controller.start();
        await(Duration.ofMinutes(2), controller::started);
        long synced = System.nanoTime();
        boolean all = awaitAll(expected, Duration.ofMinutes(45));
        long routed = lastSeen(expected);
        awaitReady(Duration.ofMinutes(10));
        long idle = System.nanoTime();
        long cpu1 = Machine.processCpuNanos();
        long serinCpu1 = serinThreadCpu();
        Map<String, Long> groups1 = threadCpuByGroup();
        double server1 = apiServerCpu();
        Map<String, Object> depth = queue.stop();
        Map<String, Object> bound = cost.stop();
        Map<String, Long> requests = RequestTally.diff(settledTally(), before);
        m.put("canaries", keys.size());
        m.put("all_virtualservices_carry_weight", all);
        m.put("converged_count", expected.stream().filter(e -> e.seen > 0).count());
        m.put("caches_synced_s", Stats.round((synced - t0) / 1e9));
        m.put("every_virtualservice_carries_its_weight_s", Stats.round((routed - t0) / 1e9));
        m.put("idle_s", Stats.round((idle - t0) / 1e9));
        m.put("per_canary_s", new Stats(expected.stream().filter(e -> e.seen > 0).mapToLong(e -> e.seen - t0).toArray()).toMap());
        double thousands = keys.size() / 1000.0;
        m.put("process_cpu_s", Stats.round((cpu1 - cpu0) / 1e9));
        m.put("serin_jvm_cpu_s_per_1000", Stats.round((cpu1 - cpu0) / 1e9 / thousands));
        m.put("serin_threads_cpu_s_per_1000", Stats.round((serinCpu1 - serinCpu0) / 1e9 / thousands));
        m.put("apiserver_cpu_s", Stats.round(server1 - server0));
        m.put("apiserver_cpu_s_per_1000", Stats.round((server1 - server0) / thousands));
        // the benchmark JVM's CPU by thread name (digits dropped); GC and JIT threads are not Java threads: the rest
        Map<String, Object> byGroup = new LinkedHashMap<>();
        long named = 0;
        for (var e : RequestTally.diff(groups1, groups0).entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).toList()) {
            named += e.getValue();
            if (e.getValue() >= 100_000_000L) {
                byGroup.put(e.getKey(), Stats.round(e.getValue() / 1e9));
            }
        }
        byGroup.put("(not in Java threads: GC, JIT, ...)", Stats.round((cpu1 - cpu0 - named) / 1e9));
        m.put("serin_jvm_cpu_s_by_thread", byGroup);
        m.put("apiserver_cpu_share_of_wall", Stats.round((server1 - server0) / ((idle - t0) / 1e9)));
        m.put("serin_jvm_cpu_share_of_wall", Stats.round((cpu1 - cpu0) / 1e9 / ((idle - t0) / 1e9)));
        if (reconcile != null) {
            long n = reconcile.count() - reconciles0;
            m.put("serin_reconciles", n);
            m.put("serin_reconcile_mean_ms", n == 0 ? 0 : Stats.round((reconcile.totalTime(TimeUnit.MILLISECONDS) - reconcileMs0) / n));
        }
        m.put("queue_depth", depth);
        m.put("what_bounds_it", bound);
        m.put("requests", requests);
        m.put("serin_writes", RequestTally.writes(requests, "serin"));
        Map<String, Long> byKind = RequestTally.serinWritesByKind(requests);
        m.put("serin_writes_by_kind", byKind);
        m.put("serin_writes_per_canary", RequestTally.per(byKind, keys.size()));
        m.put("serin_requests_per_canary", Stats.round((double) requests.entrySet().stream()
                .filter(e -> e.getKey().startsWith("serin ")).mapToLong(Map.Entry::getValue).sum() / keys.size()));
        m.put("fake_deployment_controller_status_writes", RequestTally.writes(requests, "bench"));
        System.out.println("[bench] convergence " + m.get("every_virtualservice_carries_its_weight_s") + " s, writes per Canary "
                + m.get("serin_writes_per_canary") + ", queue empty " + depth.get("empty_fraction"));
        return m;
    }

    Map<String, Object> restart(Map<String, Object> memory) throws Exception {
        awaitReady(Duration.ofMinutes(2));
        Map<String, Object> big = new LinkedHashMap<>(memoryPoint(false));
        Map<String, String> versions = snapshot();
        Map<String, Long> before = settledTally();
        long stopping = System.nanoTime();
        controller.stop(); // forgets every Canary's metrics too: what losing leadership costs
        double stopS = (System.nanoTime() - stopping) / 1e9;
        big.putAll(stoppedMemory());
        // Serin's share = running - stopped: its informer caches and queue (meters it keeps after stop are not in it)
        big.put("serin_heap_mb", Stats.round((double) big.get("heap_mb") - (double) big.get("heap_mb_serin_stopped")));
        memory.put(String.valueOf(CANARIES), big);
        Map<String, Object> m = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        controller.start();
        await(Duration.ofMinutes(2), controller::started);
        long synced = System.nanoTime();
        awaitReady(Duration.ofMinutes(2));
        long ready = System.nanoTime();
        Map<String, Long> requests = RequestTally.diff(settledTally(), before);
        Map<String, String> after = snapshot();
        m.put("how", "Controller.stop() then Controller.start() in the same JVM: informers, queue and caches are "
                + "dropped and rebuilt from a fresh LIST; the Quarkus app and its HTTP client stay up");
        m.put("stop_s", Stats.round(stopS));
        m.put("caches_synced_s", Stats.round((synced - t0) / 1e9));
        m.put("ready_and_idle_s", Stats.round((ready - t0) / 1e9));
        m.put("requests_from_stop_to_idle", requests);
        m.put("serin_writes", RequestTally.writes(requests, "serin"));
        m.put("objects_compared", versions.size());
        m.put("resource_versions_unchanged", versions.equals(after));
        m.put("resource_versions_changed", changed(versions, after));
        System.out.println("[bench] restart " + m);
        return m;
    }

    Map<String, Object> idle() throws Exception {
        awaitReady(Duration.ofMinutes(2));
        Map<String, String> versions = snapshot();
        Map<String, Long> before = settledTally();
        long cpu0 = Machine.processCpuNanos();
        long serin0 = serinThreadCpu();
        double server0 = apiServerCpu();
        long t0 = System.nanoTime();
        QueueSampler queue = new QueueSampler(controller::queueDepth);
        Thread.sleep(IDLE.toMillis());
        long elapsed = System.nanoTime() - t0;
        Map<String, Object> depth = queue.stop();
        long cpu1 = Machine.processCpuNanos();
        long serin1 = serinThreadCpu();
        double server1 = apiServerCpu();
        Map<String, Long> requests = RequestTally.diff(settledTally(), before);
        double minutes = elapsed / 60e9;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ran_for_s", Stats.round(elapsed / 1e9));
        m.put("requests", requests);
        m.put("serin_writes", RequestTally.writes(requests, "serin"));
        long reads = RequestTally.count(requests, "serin", "GET") + RequestTally.count(requests, "serin", "WATCH");
        m.put("serin_reads", reads);
        m.put("serin_reads_per_min", Stats.round(reads / minutes));
        m.put("process_cpu_s", Stats.round((cpu1 - cpu0) / 1e9));
        m.put("process_cpu_s_per_min", Stats.round((cpu1 - cpu0) / 1e9 / minutes));
        m.put("serin_threads_cpu_s", Stats.round((serin1 - serin0) / 1e9));
        m.put("apiserver_cpu_s", Stats.round(server1 - server0));
        m.put("serin_writes_by_kind", RequestTally.serinWritesByKind(requests));
        m.put("queue_depth_max", depth.get("max"));
        m.put("resource_versions_unchanged", versions.equals(snapshot()));
        System.out.println("[bench] idle " + m);
        return m;
    }

    /**
     * A forced resync: {@code Controller.resync()} queues every Canary again from the caches (what a periodic
     * informer resync would do; Serin's informers run with none). It must write nothing.
     */
    Map<String, Object> resync() throws Exception {
        awaitReady(Duration.ofMinutes(2));
        Map<String, String> versions = snapshot();
        Map<String, Long> before = settledTally();
        Timer reconcile = registry.find("serin.reconcile").timer();
        long reconciles0 = reconcile == null ? 0 : reconcile.count();
        long cpu0 = Machine.processCpuNanos();
        double server0 = apiServerCpu();
        PhaseCost cost = new PhaseCost(registry, tally);
        QueueSampler queue = new QueueSampler(controller::queueDepth);
        long t0 = System.nanoTime();
        controller.resync();
        awaitReady(Duration.ofMinutes(10));
        long done = System.nanoTime();
        Map<String, Object> depth = queue.stop();
        Map<String, Object> bound = cost.stop();
        long cpu1 = Machine.processCpuNanos();
        double server1 = apiServerCpu();
        Map<String, Long> requests = RequestTally.diff(settledTally(), before);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("how", "Controller.resync(): every Canary queued again from the informer caches");
        m.put("idle_again_s", Stats.round((done - t0) / 1e9));
        if (reconcile != null) {
            m.put("serin_reconciles", reconcile.count() - reconciles0);
        }
        m.put("requests", requests);
        m.put("serin_writes", RequestTally.writes(requests, "serin"));
        m.put("serin_writes_by_kind", RequestTally.serinWritesByKind(requests));
        m.put("serin_reads", RequestTally.count(requests, "serin", "GET") + RequestTally.count(requests, "serin", "WATCH"));
        m.put("process_cpu_s", Stats.round((cpu1 - cpu0) / 1e9));
        m.put("apiserver_cpu_s", Stats.round(server1 - server0));
        m.put("queue_depth", depth);
        m.put("what_bounds_it", bound);
        m.put("resource_versions_unchanged", versions.equals(snapshot()));
        System.out.println("[bench] resync " + m.get("serin_writes") + " writes in " + m.get("idle_again_s") + " s");
        return m;
    }

    /**
     * {@code bench.arrivals} new Canaries (with their Deployment, VirtualService and DestinationRule, in namespaces
     * arr-NN) created one every 1/{@code bench.arrival.rate} s while Serin runs, each timed from its Canary's create
     * to the VirtualService event carrying its weight; the work queue is sampled throughout. They stay (outside the
     * latency phases' set).
     */
    Map<String, Object> arrivals() throws Exception {
        awaitReady(Duration.ofMinutes(2));
        int namespaces = Math.max(1, Math.min(NAMESPACES, ARRIVALS / 20));
        List<Fixture> fixtures = new ArrayList<>();
        for (int n = 0; n < namespaces; n++) {
            fixtures.add(new Fixture(bench, String.format("arr-%02d", n)));
        }
        Map<String, Long> before = settledTally();
        PhaseCost cost = new PhaseCost(registry, tally);
        QueueSampler queue = new QueueSampler(controller::queueDepth);
        List<RouteWatch.Expected> expected = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> creates = new ArrayList<>();
        AtomicInteger failed = new AtomicInteger();
        long period = (long) (1e9 / ARRIVAL_RATE);
        long start = System.nanoTime();
        for (int i = 0; i < ARRIVALS; i++) {
            long sleep = start + i * period - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
            Fixture f = fixtures.get(i % namespaces);
            String name = String.format("arr-%05d", i);
            creates.add(senders.submit(() -> {
                try {
                    f.service(name, STABLE_REPLICAS);
                    int bp = randomWeight(-1);
                    Canary c = f.canary(name, name, bp / 100.0, "v2");
                    c.getSpec().canary.replicas = CANARY_REPLICAS;
                    RouteWatch.Expected e = routes.expect(f.namespace + "/" + name, bp);
                    expected.add(e);
                    f.create(c);
                } catch (RuntimeException ex) {
                    if (failed.incrementAndGet() <= 3) {
                        System.err.println("[bench] arrival " + name + " failed: " + ex);
                    }
                }
            }));
        }
        for (Future<?> f : creates) {
            f.get(10, TimeUnit.MINUTES);
        }
        long created = System.nanoTime();
        boolean all = awaitAll(expected, Duration.ofMinutes(10));
        long routed = lastSeen(expected);
        awaitReady(Duration.ofMinutes(5));
        Map<String, Object> depth = queue.stop();
        Map<String, Object> bound = cost.stop();
        Map<String, Long> requests = RequestTally.diff(settledTally(), before);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("canaries", ARRIVALS);
        m.put("asked_per_s", ARRIVAL_RATE);
        m.put("created_per_s", Stats.round(ARRIVALS / ((created - start) / 1e9)));
        m.put("failed", failed.get());
        m.put("all_virtualservices_carry_weight", all);
        m.put("last_carries_weight_s", Stats.round((routed - start) / 1e9));
        m.put("create_to_weight", new Stats(expected.stream().filter(e -> e.seen > 0)
                .mapToLong(e -> e.seen - e.created).toArray()).toMap());
        m.put("queue_depth", depth);
        m.put("what_bounds_it", bound);
        Map<String, Long> byKind = RequestTally.serinWritesByKind(requests);
        m.put("serin_writes_by_kind", byKind);
        m.put("serin_writes_per_canary", RequestTally.per(byKind, ARRIVALS));
        System.out.println("[bench] arrivals " + m.get("create_to_weight") + ", queue empty " + depth.get("empty_fraction"));
        return m;
    }

    Map<String, Object> throughput() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Map<String, Object>> steps = new ArrayList<>();
        m.put("steps", steps);
        double baseP99 = Double.NaN;
        double sustained = 0;
        for (String s : STEPS.split(",")) {
            if (s.isBlank()) {
                continue;
            }
            double rate = Double.parseDouble(s.trim());
            deleteEvents();
            Map<String, Object> step = drive("throughput-" + s.trim(), rate, STEP_SECONDS, this::patchSpec, 5);
            steps.add(step);
            checkpoint();
            @SuppressWarnings("unchecked")
            double p99 = (double) ((Map<String, Object>) step.get("serin")).get("p99_ms");
            if (Double.isNaN(baseP99)) {
                baseP99 = p99;
            }
            long timeouts = ((Number) step.get("timed_out")).longValue();
            double achieved = (double) step.get("completed_per_s");
            boolean ok = p99 <= 2 * baseP99 && timeouts == 0 && achieved >= 0.9 * rate;
            step.put("within_2x_base_p99", ok);
            if (!ok) {
                break;
            }
            sustained = rate;
        }
        m.put("base_p99_ms", baseP99);
        m.put("sustained_per_s", sustained);
        m.put("rule", "highest step rate whose p99 stays within 2x the first step's p99, with no change timing out "
                + "and at least 90% of the asked rate completed");
        return m;
    }

    // ------------------------------------------------------------------------------------- the load

    interface Change {
        void apply(String ns, String name, int basisPoints) throws Exception;
    }

    void patchSpec(String ns, String name, int bp) {
        // a stub through resource(), not withName(): fabric8's withName(..).patch(..) GETs the object first
        Canary stub = new Canary();
        stub.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        bench.resources(Canary.class).inNamespace(ns).resource(stub).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"weight\":" + BigDecimal.valueOf(bp, 2).toPlainString() + "}}");
    }

    void putRest(String ns, String name, int bp) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port
                        + "/api/v1/namespaces/" + ns + "/canaries/" + name + "/weight"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"weight\": " + BigDecimal.valueOf(bp, 2).toPlainString() + "}"))
                .timeout(Duration.ofSeconds(60))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PUT weight: " + response.statusCode() + " " + response.body());
        }
    }

    /**
     * Open loop: {@code rate} weight changes a second for {@code seconds} on random Canaries of the big set (one not
     * already waiting for its last change), each timed from the change being accepted to the VirtualService watch
     * event carrying the new weights; the bare round trip runs beside it at {@code probeRate}.
     */
    Map<String, Object> drive(String label, double rate, int seconds, Change change, double probeRate) throws Exception {
        awaitReady(Duration.ofMinutes(2));
        Map<String, Long> before = settledTally();
        Timer reconcile = registry.find("serin.reconcile").timer();
        long reconciles0 = reconcile == null ? 0 : reconcile.count();
        double reconcileMs0 = reconcile == null ? 0 : reconcile.totalTime(TimeUnit.MILLISECONDS);
        long cpu0 = Machine.processCpuNanos();
        double server0 = apiServerCpu();
        PhaseCost cost = new PhaseCost(registry, tally);
        QueueSampler queue = new QueueSampler(controller::queueDepth);
        bare.start(probeRate);
        List<RouteWatch.Expected> ops = new ArrayList<>();
        AtomicInteger failed = new AtomicInteger();
        int skipped = 0;
        int total = (int) Math.round(rate * seconds);
        long period = (long) (1e9 / rate);
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long at = start + i * period;
            long sleep = at - System.nanoTime();
            if (sleep > 0) {
                TimeUnit.NANOSECONDS.sleep(sleep);
            }
            String key = null;
            for (int tries = 0; tries < 100 && key == null; tries++) {
                String k = keys.get(ThreadLocalRandom.current().nextInt(keys.size()));
                if (!routes.waitingFor(k)) {
                    key = k;
                }
            }
            if (key == null) {
                skipped++;
                continue;
            }
            int bp = randomWeight(desired.getOrDefault(key, -1));
            RouteWatch.Expected e = routes.expect(key, bp);
            if (e == null) {
                skipped++;
                continue;
            }
            desired.put(key, bp);
            ops.add(e);
            String k = key;
            senders.submit(() -> {
                try {
                    change.apply(ns(k), name(k), bp);
                    e.accepted = System.nanoTime();
                } catch (Exception ex) {
                    failed.incrementAndGet();
                    routes.forget(k, e);
                    e.done.completeExceptionally(ex);
                    if (failed.get() <= 3) {
                        System.err.println("[bench] " + label + " change failed: " + ex);
                    }
                }
            });
        }
        long sent = System.nanoTime();
        long deadline = sent + WAIT.toNanos();
        for (RouteWatch.Expected e : ops) {
            try {
                e.done.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception ex) {
                // timed out or failed: counted below
            }
        }
        long end = ops.stream().mapToLong(e -> e.seen).max().orElse(sent);
        Map<String, Object> probe = bare.stop();
        Map<String, Object> depth = queue.stop();
        Map<String, Object> bound = cost.stop();
        long cpu1 = Machine.processCpuNanos();
        double server1 = apiServerCpu();
        Map<String, List<Long>> puts = tally.virtualServicePutsSince(start);
        for (RouteWatch.Expected e : ops) {
            if (e.seen > 0) {
                e.put = puts.getOrDefault(e.key, List.of()).stream().filter(t -> t > e.created && t <= e.seen)
                        .mapToLong(Long::longValue).max().orElse(0);
            }
        }
        List<Long> latencies = new ArrayList<>();
        List<Long> fromSend = new ArrayList<>();
        int beforeAccepted = 0;
        int timedOut = 0;
        for (RouteWatch.Expected e : ops) {
            if (e.seen > 0 && e.accepted > 0) {
                long d = e.seen - e.accepted;
                if (d < 0) {
                    beforeAccepted++;
                }
                latencies.add(Math.max(0, d));
                fromSend.add(e.seen - e.created);
            } else if (!e.done.isCompletedExceptionally()) {
                timedOut++;
                routes.forget(e.key, e);
            }
        }
        // where the time goes: accepted -> Serin's PUT reaches the server -> the watch event reaches the benchmark
        long[] toPut = ops.stream().filter(e -> e.seen > 0 && e.accepted > 0 && e.put > 0)
                .mapToLong(e -> Math.max(0, e.put - e.accepted)).toArray();
        long[] putToEvent = ops.stream().filter(e -> e.seen > 0 && e.put > 0).mapToLong(e -> e.seen - e.put).toArray();
        List<Map<String, Object>> slowest = ops.stream().filter(e -> e.seen > 0 && e.accepted > 0)
                .sorted((a, b) -> Long.compare(b.seen - b.accepted, a.seen - a.accepted)).limit(15).map(e -> {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("canary", e.key);
                    o.put("at_s", Stats.round((e.created - start) / 1e9));
                    o.put("send_to_accepted_ms", Stats.round(Stats.ms(e.accepted - e.created)));
                    o.put("accepted_to_serin_put_ms", e.put == 0 ? null : Stats.round(Stats.ms(e.put - e.accepted)));
                    o.put("serin_put_to_event_ms", e.put == 0 ? null : Stats.round(Stats.ms(e.seen - e.put)));
                    o.put("accepted_to_event_ms", Stats.round(Stats.ms(e.seen - e.accepted)));
                    return o;
                }).toList();
        // forget whatever is still open, so later phases can use those Canaries again
        ops.stream().filter(e -> e.seen == 0).forEach(e -> routes.forget(e.key, e));
        Stats serin = new Stats(latencies.stream().mapToLong(Long::longValue).toArray());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", label);
        m.put("asked_per_s", rate);
        m.put("seconds", seconds);
        m.put("sent", ops.size());
        m.put("skipped_all_busy", skipped);
        m.put("failed", failed.get());
        m.put("timed_out", timedOut);
        m.put("completed", latencies.size());
        m.put("completed_per_s", Stats.round(latencies.size() / ((end - start) / 1e9)));
        m.put("event_before_response", beforeAccepted);
        m.put("serin", serin.toMap());
        m.put("serin_from_send", new Stats(fromSend.stream().mapToLong(Long::longValue).toArray()).toMap());
        m.put("accepted_to_serin_put", new Stats(toPut).toMap());
        m.put("serin_put_to_event", new Stats(putToEvent).toMap());
        m.put("slowest", slowest);
        m.put("bare", probe);
        @SuppressWarnings("unchecked")
        Map<String, Object> bareStats = (Map<String, Object>) probe.get("patch_plus_watch_event");
        double bareP50 = (double) bareStats.get("p50_ms");
        double bareP99 = (double) bareStats.get("p99_ms");
        m.put("ratio_p50", Stats.round(serin.pct(50) / bareP50));
        m.put("ratio_p99", Stats.round(serin.pct(99) / bareP99));
        m.put("target_p99_ms", Stats.round(2 * bareP99 + 20));
        m.put("target_met", serin.pct(99) <= 2 * bareP99 + 20);
        Timer after = registry.find("serin.reconcile").timer();
        if (after != null) {
            long n = after.count() - reconciles0;
            m.put("serin_reconciles", n);
            m.put("serin_reconcile_mean_ms", n == 0 ? 0 : Stats.round((after.totalTime(TimeUnit.MILLISECONDS) - reconcileMs0) / n));
        }
        m.put("process_cpu_s", Stats.round((cpu1 - cpu0) / 1e9));
        m.put("apiserver_cpu_s", Stats.round(server1 - server0));
        m.put("queue_depth", depth);
        m.put("what_bounds_it", bound);
        Map<String, Long> requests = RequestTally.diff(settledTally(), before);
        m.put("requests", requests);
        Map<String, Long> byKind = RequestTally.serinWritesByKind(requests);
        m.put("serin_writes_by_kind", byKind);
        m.put("serin_writes_per_change", RequestTally.per(byKind, latencies.size()));
        System.out.println("[bench] " + label + " @" + rate + "/s: serin " + serin + " | bare " + bareStats);
        return m;
    }

    // ------------------------------------------------------------------------------------- measuring

    List<RouteWatch.Expected> expectAll(List<String> canaries) {
        List<RouteWatch.Expected> expected = new ArrayList<>();
        for (String key : canaries) {
            RouteWatch.Expected e = routes.expect(key, desired.get(key));
            if (e != null) {
                expected.add(e);
            }
        }
        return expected;
    }

    static boolean awaitAll(List<RouteWatch.Expected> expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (RouteWatch.Expected e : expected) {
            try {
                e.done.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception ex) {
                return false;
            }
        }
        return true;
    }

    static long lastSeen(List<RouteWatch.Expected> expected) {
        return expected.stream().mapToLong(e -> e.seen).max().orElse(System.nanoTime());
    }

    void awaitReady(Duration timeout) throws InterruptedException {
        if (!await(timeout, () -> controller.started() && controller.idle())) {
            System.err.println("[bench] controller not idle after " + timeout + "; thread dump follows");
            dumpThreads();
        }
    }

    static boolean await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }

    Map<String, Long> settledTally() {
        return tally.snapshot();
    }

    /** Heap after full GCs and RSS with Serin running, then with Serin stopped (the mock API server and the rest). */
    Map<String, Object> memoryPoint() throws InterruptedException {
        Map<String, Object> m = memoryPoint(true);
        return m;
    }

    Map<String, Object> memoryPoint(boolean alsoStopped) throws InterruptedException {
        Map<String, Object> m = new LinkedHashMap<>(Machine.memory());
        tally.process(true).forEach((k, v) -> m.put("apiserver_" + k, v));
        m.put("canaries_in_serins_cache", controller.started() ? countCanaries() : 0);
        if (alsoStopped) {
            controller.stop();
            m.putAll(stoppedMemory());
            m.put("serin_heap_mb", Stats.round((double) m.get("heap_mb") - (double) m.get("heap_mb_serin_stopped")));
            controller.start();
            awaitReady(Duration.ofMinutes(2));
        }
        return m;
    }

    Map<String, Object> stoppedMemory() {
        Map<String, Object> m = new LinkedHashMap<>();
        Machine.memory().forEach((k, v) -> m.put(k + "_serin_stopped", v));
        return m;
    }

    int countCanaries() {
        return bench.resources(Canary.class).inAnyNamespace().list().getItems().size();
    }

    /** resourceVersion of every Canary, Deployment, VirtualService and DestinationRule. */
    Map<String, String> snapshot() {
        Map<String, String> m = new TreeMap<>();
        put(m, "canary", bench.resources(Canary.class).inAnyNamespace().list().getItems());
        put(m, "deployment", bench.apps().deployments().inAnyNamespace().list().getItems());
        put(m, "virtualservice", bench.genericKubernetesResources(ISTIO.virtualServices()).inAnyNamespace().list().getItems());
        put(m, "destinationrule", bench.genericKubernetesResources(ISTIO.destinationRules()).inAnyNamespace().list().getItems());
        return m;
    }

    static void put(Map<String, String> m, String kind, List<? extends HasMetadata> items) {
        items.forEach(o -> m.put(kind + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
                o.getMetadata().getResourceVersion()));
    }

    static List<String> changed(Map<String, String> before, Map<String, String> after) {
        List<String> diff = new ArrayList<>();
        before.forEach((k, v) -> {
            if (!v.equals(after.get(k))) {
                diff.add(k);
            }
        });
        after.keySet().stream().filter(k -> !before.containsKey(k)).forEach(diff::add);
        return diff.size() > 20 ? diff.subList(0, 20) : diff;
    }

    /** A real API server drops Events after an hour; the mock keeps them, and every request scans them. */
    void deleteEvents() {
        for (String ns : bench.namespaces().list().getItems().stream().map(n -> n.getMetadata().getName()).toList()) {
            try {
                bench.v1().events().inNamespace(ns).delete();
            } catch (RuntimeException e) {
                System.err.println("[bench] could not delete events in " + ns + ": " + e);
            }
        }
    }

    /** CPU seconds the API server's process has used so far. */
    double apiServerCpu() {
        return ((Number) tally.process(false).get("cpu_s")).doubleValue();
    }

    /** CPU time so far of the live threads of this JVM, by name with digits dropped ("vert.x-eventloop-thread-"). */
    static Map<String, Long> threadCpuByGroup() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> m = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                m.merge(info.getThreadName().replaceAll("[0-9]+", "#"), Math.max(0, t), Long::sum);
            }
        }
        return m;
    }

    static long serinThreadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("serin-")) {
                long t = threads.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, t);
            }
        }
        return total;
    }

    static void dumpThreads() {
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
            System.err.print(info);
        }
    }

    static String ns(String key) {
        return key.substring(0, key.indexOf('/'));
    }

    static String name(String key) {
        return key.substring(key.indexOf('/') + 1);
    }

    static Path resultPath() {
        Path dir = Path.of(System.getProperty("bench.results", "bench/results"));
        String date = LocalDate.now().toString();
        Path p = dir.resolve(date + ".json");
        for (int i = 2; Files.exists(p); i++) {
            p = dir.resolve(date + "-" + i + ".json");
        }
        return p;
    }

    void checkpoint() throws Exception {
        Files.createDirectories(resultFile.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(resultFile.toFile(), results);
    }
}
