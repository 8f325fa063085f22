package dev.serin.reconcile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.Phase;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanaryChangesTest {
    static final KubernetesSerialization JSON = new KubernetesSerialization();

    @Test
    void theEchoOfAStatusWriteNeedsNoReconcileButSpecMetadataAndPhaseDo() {
        Canary before = CanaryDeploymentBuilderTest.canary();
        before.setStatus(new CanaryStatus());
        before.getStatus().phase = Phase.Progressing;

        Canary echo = JSON.clone(before);
        echo.getStatus().weight = 3.0;
        echo.getMetadata().setResourceVersion("42");
        assertFalse(CanaryChanges.matter(before, echo));

        Canary reweighted = JSON.clone(before);
        reweighted.getSpec().weight = 5.0;
        assertTrue(CanaryChanges.matter(before, reweighted));

        Canary requested = JSON.clone(before);
        requested.getMetadata().setAnnotations(Map.of("serin.dev/action", "abort"));
        assertTrue(CanaryChanges.matter(before, requested));

        Canary promoting = JSON.clone(before);
        promoting.getStatus().phase = Phase.Promoting;
        assertTrue(CanaryChanges.matter(before, promoting));
    }

    @Test
    void aCanaryWithoutSpecIsComparedWithoutFailing() {
        Canary bare = new Canary();
        bare.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("bare").build());
        assertFalse(CanaryChanges.matter(bare, JSON.clone(bare)));
        assertTrue(CanaryChanges.matter(bare, CanaryDeploymentBuilderTest.canary()));
        assertTrue(CanaryChanges.matter(CanaryDeploymentBuilderTest.canary(), bare));
    }
}
