package dev.serin.reconcile;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.serin.Fixture;
import dev.serin.strict.Strict;
import dev.serin.strict.WithStrictApiServer;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A GitOps tool re-applying the original route every 2 s: Serin notices the fight, backs off and names the tool. */
@QuarkusTest
@WithStrictApiServer
class ConflictingWriterTest {
    static final List<String> SPLIT = List.of("stable=9", "canary=1");
    static final String WRITER = "kustomize-controller";

    /** The built-in back-offs (30 s to 10 min) scaled down to what a test can wait for: 750 ms, doubling to 3 s. */
    static final Duration BACKOFF_INITIAL = Duration.ofMillis(750);
    static final Duration BACKOFF_MAX = Duration.ofSeconds(3);
    /** The writer reverts faster than the shortest back-off, as a GitOps tool on a short sync period would. */
    static final Duration WRITER_PERIOD = Duration.ofMillis(500);

    /** serin.drift.conflict-threshold 3, conflict-window 5s and the back-offs above, for this class's tests. */
    @BeforeEach
    void shortBackoff() {
        DriftSettings.install(3, Duration.ofSeconds(5), BACKOFF_INITIAL, BACKOFF_MAX);
    }

    @Strict
    KubernetesClient client;

    @Test
    void aWriterThatKeepsRevertingGetsOneWritePerBackOffAndANamedCondition() throws Exception {
        Fixture f = new Fixture(client).service("api", 4);
        JsonNode original = f.vs("api").at("/spec/http");
        f.create(f.canary("api", "api", 10, "v2"));
        f.markReady("api-canary");
        await().atMost(Duration.ofSeconds(15)).until(() -> f.mainRoute("api").equals(SPLIT));

        List<Instant> serinWrites = new CopyOnWriteArrayList<>();
        Watch watch = client.genericKubernetesResources(f.istio.virtualServices()).inNamespace(f.namespace)
                .withName("api").watch(new SplitWrites(serinWrites));
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        String patch = "{\"spec\":{\"http\":" + original + "}}";
        writer.scheduleAtFixedRate(() -> {
            try {
                client.genericKubernetesResources(f.istio.virtualServices()).inNamespace(f.namespace).withName("api")
                        .patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).withFieldManager(WRITER)
                                .build(), patch);
            } catch (RuntimeException e) {
                // the next round tries again, as a GitOps tool would
            }
        }, 0, WRITER_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> "ConflictingWriter".equals(traffic(f).getReason()));
            Instant detected = Instant.now();
            assertTrue(traffic(f).getMessage().contains(WRITER), traffic(f).getMessage());
            assertEquals("False", traffic(f).getStatus());

            // back-offs of 0.75, 1.5 and 3 s, each started by a re-revert of the one write at the previous one's end
            await().atMost(Duration.ofSeconds(40)).until(() -> conflictEvents(f).stream().mapToInt(Event::getCount)
                    .sum() >= 3);
            List<Event> events = conflictEvents(f);
            assertEquals(1, events.size(), "repeats are counted on one Event");
            int backOffs = events.get(0).getCount();
            assertTrue(events.get(0).getMessage().contains(WRITER), events.get(0).getMessage());
            List<Instant> after = serinWrites.stream().filter(t -> t.isAfter(detected)).toList();
            assertTrue(after.size() <= backOffs, "Serin wrote " + after.size() + " times in " + backOffs + " back-offs");
            for (int i = 1; i < after.size(); i++) {
                // a back-off apart (less a sixth for the watch's delivery), never a writer's period apart
                Duration gap = BACKOFF_INITIAL.minus(BACKOFF_INITIAL.dividedBy(6));
                assertTrue(Duration.between(after.get(i - 1), after.get(i)).compareTo(gap) >= 0,
                        "writes " + after);
            }
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("serin_drift_conflicts_total")
                    && l.contains("namespace=\"" + f.namespace + "\"") && l.contains("name=\"api\"")), metrics);
        } finally {
            writer.shutdownNow();
            assertTrue(writer.awaitTermination(5, TimeUnit.SECONDS));
            watch.close();
        }
        // the writer is quiet now: within the longest back-off plus 5 s the weights are back, then the condition
        await().atMost(BACKOFF_MAX.plusSeconds(5)).until(() -> f.mainRoute("api").equals(SPLIT));
        await().atMost(Duration.ofSeconds(15)).until(() -> "True".equals(traffic(f).getStatus()));
    }

    @Test
    void aSingleHandEditIsStillRevertedAtOnce() {
        Fixture f = new Fixture(client).service("web", 4);
        f.create(f.canary("web", "web", 10, "v2"));
        f.markReady("web-canary");
        await().atMost(Duration.ofSeconds(15)).until(() -> f.mainRoute("web").equals(SPLIT)
                && "True".equals(traffic(f, "web").getStatus()));
        Fixture.retryOnConflict(() -> client.genericKubernetesResources(f.istio.virtualServices())
                .inNamespace(f.namespace).withName("web").edit(vs -> {
                    @SuppressWarnings("unchecked")
                    var http = (List<Map<String, Object>>) ((Map<String, Object>) vs.getAdditionalProperties().get("spec"))
                            .get("http");
                    @SuppressWarnings("unchecked")
                    var route = (List<Map<String, Object>>) http.get(1).get("route");
                    route.get(0).put("weight", 50);
                    route.get(1).put("weight", 50);
                    return vs;
                }));
        await().atMost(Duration.ofSeconds(1)).until(() -> f.mainRoute("web").equals(SPLIT));
    }

    private static Condition traffic(Fixture f) {
        return traffic(f, "api");
    }

    private static Condition traffic(Fixture f, String canary) {
        var status = f.getCanary(canary).getStatus();
        Condition c = status == null ? null : Conditions.find(status.conditions, "TrafficApplied");
        return c == null ? new Condition() : c;
    }

    private static List<Event> conflictEvents(Fixture f) {
        return new ArrayList<>(f.events().stream().filter(e -> "ConflictingWriter".equals(e.getReason())).toList());
    }

    /** Times of the VirtualService versions whose main route carries the split: Serin's writes. */
    record SplitWrites(List<Instant> times) implements Watcher<GenericKubernetesResource> {
        @Override
        public void eventReceived(Action action, GenericKubernetesResource vs) {
            JsonNode main = Fixture.JSON.convertValue(vs, JsonNode.class).at("/spec/http/1/route");
            if (main.size() == 2 && main.get(1).path("weight").asInt() > 0) {
                times.add(Instant.now());
            }
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }
}
