package dev.serin.autopilot.judge;

import static dev.serin.autopilot.judge.Classification.HIGH;
import static dev.serin.autopilot.judge.Classification.INCONCLUSIVE;
import static dev.serin.autopilot.judge.Classification.LOW;
import static dev.serin.autopilot.judge.Classification.PASS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorecardTest {
    static Judgement judged(Classification c, boolean critical) {
        return new Judgement(c, critical, 30, 30, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 1.0, c.statusValue());
    }

    static Map<String, Judgement> metrics(Classification... classes) {
        Map<String, Judgement> m = new LinkedHashMap<>();
        for (int i = 0; i < classes.length; i++) {
            m.put("m" + i, judged(classes[i], false));
        }
        return m;
    }

    @Test
    void passMarginalFailByTheScore() {
        Scorecard.Score all = Scorecard.score(metrics(PASS, PASS), 95, 75);
        assertEquals(Scorecard.Result.PASS, all.result());
        assertEquals(100.0, all.score());

        Scorecard.Score four = Scorecard.score(metrics(PASS, PASS, HIGH, PASS, PASS), 95, 75);
        assertEquals(Scorecard.Result.MARGINAL, four.result());
        assertEquals(80.0, four.score());
        assertEquals("score 80 (4 of 5 metrics pass; m2 High), marginal: below passScore 95, at least marginalScore 75;"
                + " the step holds", four.message());

        Scorecard.Score half = Scorecard.score(metrics(PASS, LOW), 95, 75);
        assertEquals(Scorecard.Result.FAIL, half.result());
        assertEquals(50.0, half.score());
        assertEquals(Scorecard.Result.PASS, Scorecard.score(metrics(PASS, LOW), 50, 25).result());
    }

    @Test
    void aCriticalMetricThatIsHighOrLowFailsAtZero() {
        Map<String, Judgement> m = metrics(PASS, PASS, PASS);
        m.put("latencyP99", judged(HIGH, true));
        Scorecard.Score s = Scorecard.score(m, 95, 0);
        assertEquals(Scorecard.Result.FAIL, s.result(), "whatever marginalScore is");
        assertEquals(0.0, s.score());
        assertEquals("score 0: critical latencyP99 is High", s.message());
        m.put("latencyP99", judged(PASS, true));
        assertEquals(Scorecard.Result.PASS, Scorecard.score(m, 95, 75).result());
    }

    @Test
    void aMetricWithoutEnoughSamplesHoldsEvenWhenAnotherFails() {
        Map<String, Judgement> m = new LinkedHashMap<>();
        m.put("successRate", judged(HIGH, true));
        m.put("latencyP99", new Judgement(INCONCLUSIVE, false, 3, 30, null, null, null, null, null, null, null,
                "too few samples: canary 3, stable 30; at least 20 each needed to judge"));
        Scorecard.Score s = Scorecard.score(m, 95, 75);
        assertEquals(Scorecard.Result.INCONCLUSIVE, s.result());
        assertNull(s.score());
        assertEquals("no judgement yet: latencyP99 (too few samples: canary 3, stable 30; at least 20 each needed to"
                + " judge)", s.message());
    }
}
