package dev.serin.rest.dto;

import io.fabric8.kubernetes.api.model.Condition;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(name = "Condition")
public record ConditionView(String type, String status, String reason, String message, String lastTransitionTime) {
    public static ConditionView of(Condition c) {
        return new ConditionView(c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getLastTransitionTime());
    }
}
