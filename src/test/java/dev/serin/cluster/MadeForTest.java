package dev.serin.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MadeForTest {
    static OwnerReference ref(String apiVersion, String kind, String name) {
        return new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name).withUid("u-" + name)
                .build();
    }

    static ConfigMap object(Map<String, String> labels, OwnerReference... refs) {
        return new ConfigMapBuilder().withNewMetadata().withName("x").withLabels(labels).withOwnerReferences(refs)
                .endMetadata().build();
    }

    @Test
    void theLabelNamesTheCanary() {
        ConfigMap labelled = object(Map.of("serin.dev/canary", "shop"));
        assertEquals("shop", MadeFor.canary(labelled));
        assertTrue(MadeFor.canary(labelled, "shop"));
        assertFalse(MadeFor.canary(labelled, "other"));
        assertNull(MadeFor.canary(object(Map.of())));
    }

    @Test
    void anOlderSerinsOwnerReferenceCountsUntilItIsReplacedAndOthersAreKept() {
        OwnerReference canary = ref("serin.dev/v1alpha1", "Canary", "shop");
        OwnerReference other = ref("apps/v1", "Deployment", "shop");
        ConfigMap legacy = object(Map.of(), other, canary);
        assertTrue(MadeFor.hasLegacyOwner(legacy, "shop"));
        assertTrue(MadeFor.canary(legacy, "shop"));
        assertFalse(MadeFor.hasLegacyOwner(legacy, "other"));
        assertEquals(List.of(other), MadeFor.withoutLegacyOwner(legacy, "shop"));
        assertNull(MadeFor.withoutLegacyOwner(object(Map.of(), canary), "shop"));
        // a Canary of another API group is not Serin's
        assertFalse(MadeFor.hasLegacyOwner(object(Map.of(), ref("example.com/v1", "Canary", "shop")), "shop"));
    }
}
