package dev.serin.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.serin.api.v1alpha1.Canary;
import dev.serin.api.v1alpha1.CanarySpec;
import dev.serin.api.v1alpha1.Sticky;
import dev.serin.api.v1alpha1.Tester;
import dev.serin.traffic.Testers;
import java.util.List;
import org.junit.jupiter.api.Test;

class TesterPlanTest {
    @Test
    void testersOnlyWhileTheCanaryHasReadyPodsTheStickyValueItsVersion() {
        Canary c = new Canary();
        c.setSpec(new CanarySpec());
        c.getSpec().testers = List.of(Tester.header("x-canary", "always", false), Tester.cookie("canary", "1"));
        c.getSpec().sticky = new Sticky("serin-canary", "PT1H30M");
        assertEquals(Testers.NONE, TesterPlan.desired(c, "v2", 0));
        Testers t = TesterPlan.desired(c, "v2", 1);
        assertEquals(List.of(Testers.Match.header("x-canary", "always", false), Testers.Match.cookie("canary", "1")),
                t.matches());
        assertEquals(new Testers.Sticky("serin-canary", "v2", 5400), t.sticky());
    }

    @Test
    void maxAgeInEitherDurationForm() {
        assertEquals(3600, TesterPlan.seconds("1h"));
        assertEquals(90, TesterPlan.seconds("1m30s"));
        assertEquals(5400, TesterPlan.seconds("pt1h30m"));
        assertEquals(1, TesterPlan.seconds("500ms"), "a cookie lives at least a second");
    }
}
