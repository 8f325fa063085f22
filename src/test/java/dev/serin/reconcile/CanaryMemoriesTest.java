package dev.serin.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.metrics.AutopilotMetrics;
import dev.serin.metrics.CanaryMetrics;
import dev.serin.metrics.DriftMetrics;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Canary is told apart by its uid: a new one under an old name inherits nothing, even when no delete was seen. */
class CanaryMemoriesTest {
    final Recording memory = new Recording();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final CanaryMetrics metrics = new CanaryMetrics(registry, new AutopilotMetrics(registry), new DriftMetrics(registry));
    final CanaryMemories memories = new CanaryMemories(List.of(memory), metrics);

    @Test
    void aNewUidUnderAKnownNameForgetsTheOldCanary() {
        assertFalse(memories.seen(canary("uid-1")), "first sight: nothing to forget");
        assertFalse(memories.seen(canary("uid-1")));
        metrics.weights("shop", "api", 10.0, 10.0);

        assertTrue(memories.seen(canary("uid-2")), "deleted and created again between two reconciles");
        assertEquals(List.of("shop/api"), memory.forgotten);
        assertNull(registry.find("serin.canary.weight").tag("name", "api").gauge(), "its series go too");
        assertFalse(memories.seen(canary("uid-2")));
        assertEquals(1, memory.forgotten.size());
    }

    @Test
    void aCanaryThatIsGoneIsForgottenAndTheNextOneOfItsNameIsNew() {
        memories.seen(canary("uid-1"));
        memories.gone("shop/api");
        assertEquals(List.of("shop/api"), memory.forgotten);
        assertFalse(memories.seen(canary("uid-2")), "forgotten already");
        assertEquals(1, memory.forgotten.size());
    }

    @Test
    void stoppingForgetsEveryCanary() {
        memories.seen(canary("uid-1"));
        metrics.weights("shop", "api", 10.0, 10.0);
        memories.forgetAll();
        assertEquals(1, memory.all);
        assertNull(registry.find("serin.canary.weight").gauge());
        assertFalse(memories.seen(canary("uid-2")), "after a stop every Canary is seen for the first time");
    }

    private static Canary canary(String uid) {
        Canary c = new Canary();
        c.setMetadata(new ObjectMetaBuilder().withNamespace("shop").withName("api").withUid(uid).build());
        return c;
    }

    static final class Recording implements CanaryMemory {
        final List<String> forgotten = new ArrayList<>();
        int all;

        @Override
        public void forget(String key) {
            forgotten.add(key);
        }

        @Override
        public void forgetAll() {
            all++;
        }
    }
}
