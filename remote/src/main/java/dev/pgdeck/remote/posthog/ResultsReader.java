package dev.pgdeck.remote.posthog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgdeck.remote.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.function.Function;

/**
 * Streams a response {@code {"results": [...], "next": ..., ...}}: each element of {@code results} is read as a small
 * tree, turned into an event and handed to the sink before the next is read, so memory holds one event, not a page.
 */
final class ResultsReader {
    private static final ObjectMapper MAPPER = Json.mapper();

    /** What a response held besides the events. */
    record Result(int events, String next, Position last) {
    }

    private ResultsReader() {}

    static Result read(InputStream body, EventSink sink, Function<JsonNode, PostHogEvent> toEvent) throws IOException {
        int events = 0;
        String next = null;
        Instant lastTime = null;
        String lastUuid = null;
        try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("the response is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("results".equals(field) && value == JsonToken.START_ARRAY) {
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        JsonNode element = MAPPER.readTree(parser);
                        PostHogEvent event = toEvent.apply(element);
                        sink.accept(event);
                        events++;
                        if (event.time() != null && event.uuid() != null && !event.uuid().isBlank()) {
                            lastTime = event.time();
                            lastUuid = event.uuid();
                        }
                    }
                } else if ("next".equals(field)) {
                    next = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                } else if ("error".equals(field) && value == JsonToken.VALUE_STRING) {
                    throw new IOException("PostHog reported an error: " + parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        }
        return new Result(events, next, lastTime == null ? null : Position.after(lastTime, lastUuid));
    }

    static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asText();
    }
}
