package dev.serin.reconcile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.AutopilotSpec;
import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanaryStatus;
import dev.serin.api.v1alpha1.ConditionTypes;
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

    /** The autopilot's step clock starts when the routes carry the step's weight: that status change is news to it. */
    @Test
    void forAnAutopilotedCanaryWhetherTheRoutesCarryItsWeightMatters() {
        Canary before = CanaryDeploymentBuilderTest.canary();
        before.getSpec().autopilot = new AutopilotSpec();
        before.setStatus(new CanaryStatus());
        before.getStatus().weight = 1.0;
        Conditions.set(before.getStatus().conditions, Conditions.of(ConditionTypes.TRAFFIC_APPLIED, false,
                "WaitingForCanaryPods", "weight held at 1 until 2 canary pods are ready for 5"));

        Canary reached = JSON.clone(before);
        reached.getStatus().weight = 5.0;
        Conditions.set(reached.getStatus().conditions, Conditions.of(ConditionTypes.TRAFFIC_APPLIED, true,
                "WeightApplied", "stable 19, canary 1 in VirtualService api"));
        assertTrue(CanaryChanges.matter(before, reached));

        Canary clockStarted = JSON.clone(reached);
        clockStarted.getStatus().nextStepAt = "2026-01-01T10:05:00Z";
        assertFalse(CanaryChanges.matter(reached, clockStarted), "the autopilot's own status write is an echo");

        Canary manual = JSON.clone(before);
        manual.getSpec().autopilot = null;
        Canary manualReached = JSON.clone(reached);
        manualReached.getSpec().autopilot = null;
        assertFalse(CanaryChanges.matter(manual, manualReached), "without an autopilot it is an echo");
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
