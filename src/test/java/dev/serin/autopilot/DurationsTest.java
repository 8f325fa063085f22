package dev.serin.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.serin.api.v1alpha1.Rules;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void theKubernetesAndTheIsoFormOfADurationAreTheSameDuration() {
        for (List<String> same : List.of(List.of("1m30s", "PT1M30S", "pt1m30s", "90s"), List.of("1.5h", "PT1H30M", "90m"),
                List.of("500ms", "PT0.5S", "0.5s"), List.of("5m", "PT5M", "300s"), List.of("1h", "PT1H", "PT60M"))) {
            for (String text : same) {
                assertEquals(Durations.parse(same.get(0)), Durations.parse(text), text);
            }
        }
        assertEquals(Optional.of(Duration.ofSeconds(90)), Durations.parse("1m30s"));
    }

    @Test
    void whatThePatternRefusesIsNoDurationAndWhatItAdmitsIsOne() {
        Pattern crd = Pattern.compile(Rules.DURATION_PATTERN);
        for (String refused : List.of("", " ", "5", "abc", "1d", "-1s", "PT", "P1D", "P1DT1H", "PT-1S", "PT1.5M",
                "1m30", "PT5M30", "1M", "5 m")) {
            assertEquals(Optional.empty(), Durations.parse(refused), refused);
            assertTrue(!crd.matcher(refused).matches(), refused);
        }
        for (String admitted : List.of("0s", "0m0s", "PT0S", "1h2m3s4ms", "PT1H2M3.004S", "10ms", "pt30s")) {
            assertTrue(crd.matcher(admitted).matches(), admitted);
            assertTrue(Durations.parse(admitted).isPresent(), admitted);
        }
        assertEquals(Optional.empty(), Durations.parse(null));
    }

    @Test
    void theAutopilotTakesIsoDurationsToo() {
        dev.serin.api.v1alpha1.AutopilotSpec spec = new dev.serin.api.v1alpha1.AutopilotSpec();
        spec.steps = List.of(1.0, 5.0);
        spec.interval = "PT5M";
        spec.progressDeadline = "PT10M";
        assertEquals(Optional.empty(), AutopilotValidator.check(spec));
        spec.progressDeadline = "4m59s";
        assertTrue(AutopilotValidator.check(spec).isPresent());
    }
}
