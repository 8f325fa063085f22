package dev.serin.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import org.junit.jupiter.api.Test;

class OwnWritesTest {
    static final String KIND = "destinationrules.networking.istio.io";
    /** Names the object a write or an event is of (ns/api); its version does not matter there. */
    static final GenericKubernetesResource OBJECT = at("any");
    final OwnWrites<GenericKubernetesResource> own = new OwnWrites<>();

    @Test
    void withoutWritesTheCacheIsRead() {
        GenericKubernetesResource cached = at("1");
        assertSame(cached, own.seen(KIND, "ns", "api", cached));
        own.wrote(KIND, OBJECT, "1", at("2"));
        GenericKubernetesResource other = at("7");
        assertSame(other, own.seen(KIND, "ns", "other", other)); // another object's write does not stand in
    }

    static GenericKubernetesResource at(String version) {
        return new GenericKubernetesResourceBuilder().withNewMetadata().withNamespace("ns").withName("api")
                .withResourceVersion(version).endMetadata().build();
    }

    @Test
    void anUpdateStandsWhileTheCacheHoldsTheVersionItReplaced() {
        GenericKubernetesResource written = at("2");
        own.wrote(KIND, OBJECT, "1", written);
        assertSame(written, own.seen(KIND, "ns", "api", at("1")));
        GenericKubernetesResource caught = at("2");
        assertSame(caught, own.seen(KIND, "ns", "api", caught));
        assertEquals(0, own.pending());
    }

    @Test
    void aVersionSerinDidNotWriteOverIsNewerAndWins() {
        own.wrote(KIND, OBJECT, "1", at("2"));
        GenericKubernetesResource someoneElses = at("3");
        assertSame(someoneElses, own.seen(KIND, "ns", "api", someoneElses));
        assertEquals(0, own.pending());
    }

    @Test
    void aCreateStandsWhileTheCacheHasNothingAndADeleteWhileItHasTheOldObject() {
        GenericKubernetesResource created = at("5");
        own.wrote(KIND, OBJECT, null, created);
        assertSame(created, own.seen(KIND, "ns", "api", null));
        own.cached(KIND, OBJECT, at("5"));
        assertEquals(0, own.pending());

        own.wrote(KIND, OBJECT, "5", null);
        assertNull(own.seen(KIND, "ns", "api", at("5")));
        own.cached(KIND, OBJECT, null);
        assertEquals(0, own.pending());
    }

    @Test
    void aSecondWriteOnTheFirstOnesReadBackStandsWhileTheCacheHoldsEitherVersionBefore() {
        own.wrote(KIND, OBJECT, "1", at("2"));
        GenericKubernetesResource second = at("3");
        own.wrote(KIND, OBJECT, "2", second);
        assertSame(second, own.seen(KIND, "ns", "api", at("1")));
        own.cached(KIND, OBJECT, at("2")); // the first write's event: still behind the second
        assertSame(second, own.seen(KIND, "ns", "api", at("2")));
        own.cached(KIND, OBJECT, at("3"));
        assertEquals(0, own.pending());
    }

    @Test
    void theCachesEventsEndAWriteNobodyReadsAgain() {
        own.wrote(KIND, OBJECT, "1", at("2"));
        own.cached(KIND, OBJECT, at("1")); // a resync of the old version: not yet
        assertEquals(1, own.pending());
        own.cached(KIND, OBJECT, at("2"));
        assertEquals(0, own.pending());
    }
}
