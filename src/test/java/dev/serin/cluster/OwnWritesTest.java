package dev.serin.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import org.junit.jupiter.api.Test;

class OwnWritesTest {
    static final String KEY = "destinationrules.networking.istio.io/ns/api";
    final OwnWrites<GenericKubernetesResource> own = new OwnWrites<>();

    static GenericKubernetesResource at(String version) {
        return new GenericKubernetesResourceBuilder().withNewMetadata().withNamespace("ns").withName("api")
                .withResourceVersion(version).endMetadata().build();
    }

    @Test
    void anUpdateStandsWhileTheCacheHoldsTheVersionItReplaced() {
        GenericKubernetesResource written = at("2");
        own.wrote(KEY, "1", written);
        assertSame(written, own.seen(KEY, at("1")));
        GenericKubernetesResource caught = at("2");
        assertSame(caught, own.seen(KEY, caught));
        assertEquals(0, own.pending());
    }

    @Test
    void aVersionSerinDidNotWriteOverIsNewerAndWins() {
        own.wrote(KEY, "1", at("2"));
        GenericKubernetesResource someoneElses = at("3");
        assertSame(someoneElses, own.seen(KEY, someoneElses));
        assertEquals(0, own.pending());
    }

    @Test
    void aCreateStandsWhileTheCacheHasNothingAndADeleteWhileItHasTheOldObject() {
        GenericKubernetesResource created = at("5");
        own.wrote(KEY, null, created);
        assertSame(created, own.seen(KEY, null));
        own.cached(KEY, at("5"));
        assertEquals(0, own.pending());

        own.wrote(KEY, "5", null);
        assertNull(own.seen(KEY, at("5")));
        own.cached(KEY, null);
        assertEquals(0, own.pending());
    }

    @Test
    void aSecondWriteOnTheFirstOnesReadBackStandsWhileTheCacheHoldsEitherVersionBefore() {
        own.wrote(KEY, "1", at("2"));
        GenericKubernetesResource second = at("3");
        own.wrote(KEY, "2", second);
        assertSame(second, own.seen(KEY, at("1")));
        own.cached(KEY, at("2")); // the first write's event: still behind the second
        assertSame(second, own.seen(KEY, at("2")));
        own.cached(KEY, at("3"));
        assertEquals(0, own.pending());
    }

    @Test
    void theCachesEventsEndAWriteNobodyReadsAgain() {
        own.wrote(KEY, "1", at("2"));
        own.cached(KEY, at("1")); // a resync of the old version: not yet
        assertEquals(1, own.pending());
        own.cached(KEY, at("2"));
        assertEquals(0, own.pending());
    }
}
