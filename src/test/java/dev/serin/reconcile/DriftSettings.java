package dev.serin.reconcile;

import dev.serin.metrics.DriftMetrics;
import dev.serin.traffic.TrafficRouters;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusMock;
import java.time.Clock;
import java.time.Duration;

/**
 * serin.drift.* for one test, in the tests' shared application: a {@link DriftConflicts} made with the given values
 * stands in for the configured one until the test ends (QuarkusMock, called from {@code @BeforeEach}). A profile with
 * the same values would cost an application boot of its own.
 */
final class DriftSettings {
    private DriftSettings() {
    }

    static void install(int conflictThreshold, Duration conflictWindow, Duration backoffInitial, Duration backoffMax) {
        var beans = Arc.container();
        DriftConflicts conflicts = new DriftConflicts(beans.instance(TrafficRouters.class).get(),
                beans.instance(Clock.class).get(), beans.instance(EventRecorder.class).get(),
                beans.instance(DriftMetrics.class).get(), conflictThreshold, conflictWindow, backoffInitial, backoffMax);
        QuarkusMock.installMockForType(conflicts, DriftConflicts.class);
    }
}
