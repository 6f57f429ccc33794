package dev.pgdeck.remote.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.pgdeck.model.InstanceStatus;
import dev.pgdeck.model.overview.LastDrill;

/**
 * The one way pgdeck reads and writes JSON: ISO-8601 times, no nulls written except where null says something
 * itself (an instance's {@code lastDrill}: null is "never drilled").
 */
public final class Json {
    /** Where the status contract writes null rather than leaving the key out. */
    private abstract static class InstanceStatusNulls {
        @JsonInclude(JsonInclude.Include.ALWAYS)
        abstract LastDrill lastDrill();
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addMixIn(InstanceStatus.class, InstanceStatusNulls.class)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
