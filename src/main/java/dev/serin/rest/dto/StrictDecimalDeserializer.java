package dev.serin.rest.dto;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import dev.serin.rest.problem.ProblemMappers.StrictMessages;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Reads a JSON number exactly (as written, not through a double) and refuses anything else: Jackson would
 * otherwise coerce "12" or true into a number.
 */
public class StrictDecimalDeserializer extends JsonDeserializer<BigDecimal> {
    @Override
    public BigDecimal deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDecimalValue();
        }
        String field = p.currentName() == null ? "value" : p.currentName();
        return (BigDecimal) ctxt.reportInputMismatch(BigDecimal.class,
                StrictMessages.PREFIX + "'" + field + "' must be a JSON number, not " + describe(t));
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case VALUE_STRING -> "a string";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> String.valueOf(t);
        };
    }
}
