package dev.serin.rest.dto;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.lang.reflect.Type;
import java.util.function.BiFunction;

/**
 * The reader for request bodies of the REST API (used via {@code @CustomDeserialization}): unknown fields and
 * trailing garbage are errors, without changing the application-wide ObjectMapper (Quarkus turns
 * FAIL_ON_UNKNOWN_PROPERTIES off by default, and the Kubernetes client may share that mapper).
 */
public class StrictReader implements BiFunction<ObjectMapper, Type, ObjectReader> {
    @Override
    public ObjectReader apply(ObjectMapper mapper, Type type) {
        return mapper.readerFor(mapper.constructType(type))
                .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }
}
