package dev.serin.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Pure helpers for status conditions: a transition time only moves when the status does. */
public final class Conditions {
    private Conditions() {
    }

    public static Condition of(String type, boolean status, String reason, String message) {
        return new ConditionBuilder().withType(type).withStatus(status ? "True" : "False")
                .withReason(reason).withMessage(message).build();
    }

    /** The new conditions, keeping each one's lastTransitionTime from before when its status is unchanged. */
    public static List<Condition> merge(List<Condition> previous, List<Condition> next, long generation, Instant now) {
        List<Condition> result = new ArrayList<>();
        for (Condition condition : next) {
            Condition old = find(previous, condition.getType());
            String since = old != null && Objects.equals(old.getStatus(), condition.getStatus())
                    && old.getLastTransitionTime() != null
                            ? old.getLastTransitionTime()
                            : now.truncatedTo(ChronoUnit.SECONDS).toString();
            result.add(new ConditionBuilder(condition).withLastTransitionTime(since)
                    .withObservedGeneration(generation).build());
        }
        return result;
    }

    /** Sets a condition in place, so the list keeps its order and an unchanged status compares equal. */
    public static void set(List<Condition> conditions, Condition condition) {
        for (int i = 0; i < conditions.size(); i++) {
            if (condition.getType().equals(conditions.get(i).getType())) {
                conditions.set(i, condition);
                return;
            }
        }
        conditions.add(condition);
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        Condition c = find(conditions, type);
        return c != null && "True".equals(c.getStatus());
    }
}
