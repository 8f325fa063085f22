package dev.serin.observed;

import dev.serin.api.v1alpha1.CanaryStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The weight traffic got last ({@code status.weight}) and when it changed to it ({@code status.weightChangedAt}, to
 * the second): an observed share describes this weight only when measured after that time.
 */
public record WeightChange(Double weight, String at) {
    public static final WeightChange UNKNOWN = new WeightChange(null, null);

    public static WeightChange of(CanaryStatus status) {
        return status == null ? UNKNOWN : new WeightChange(status.weight, status.weightChangedAt);
    }

    /** When it changed; null when not recorded (e.g. a status from before weightChangedAt existed). */
    public Instant instant() {
        try {
            return at == null ? null : Instant.parse(at);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
