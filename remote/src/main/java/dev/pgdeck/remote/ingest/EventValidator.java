package dev.pgdeck.remote.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pgdeck.remote.json.Json;
import dev.pgdeck.remote.posthog.PostHogEvent;
import java.io.IOException;
import java.time.Instant;

/**
 * Decides whether an event can go into the raw table, and if not, why. Everything PostgreSQL would refuse is caught
 * here, so that one broken event goes to the rejects table instead of failing its whole page.
 */
final class EventValidator {
    /** Seed 000's columns are VARCHAR(255). */
    private static final int MAX_TEXT = 255;
    private static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private final ObjectMapper mapper = Json.mapper();

    /** The outcome: exactly one of {@code event} and {@code reason} is set. */
    record Outcome(ValidEvent event, String reason) {
        static Outcome reject(String reason) {
            return new Outcome(null, reason);
        }
    }

    Outcome check(PostHogEvent e) {
        if (e.raw() == null || !(e.raw().isObject() || e.raw().isArray())) {
            return Outcome.reject("not an event object");
        }
        if (e.uuid() == null || e.uuid().isBlank()) {
            return Outcome.reject("missing uuid");
        }
        String badId = textProblem("uuid", e.uuid());
        if (badId != null) {
            return Outcome.reject(badId);
        }
        if (e.event() == null || e.event().isNull()) {
            return Outcome.reject("missing event name");
        }
        if (!e.event().isTextual() || e.event().asText().isBlank()) {
            return Outcome.reject("event name is not a non-empty string");
        }
        String name = e.event().asText();
        String badName = textProblem("event name", name);
        if (badName != null) {
            return Outcome.reject(badName);
        }
        if (e.timestamp() == null) {
            return Outcome.reject("missing timestamp");
        }
        if (e.time() == null) {
            return Outcome.reject("unreadable timestamp: " + abbreviate(e.timestamp()));
        }
        if (e.time().isBefore(EARLIEST) || e.time().isAfter(LATEST)) {
            return Outcome.reject("timestamp out of range: " + e.timestamp());
        }
        JsonNode properties = e.properties();
        String json;
        if (properties != null && properties.isTextual()) {
            // The Query API sends properties as JSON text: check it streaming and keep it as is, without a tree.
            json = properties.asText();
            String problem = scanObjectText(json, text(e.distinctId()) == null);
            if (problem != null) {
                return Outcome.reject(problem);
            }
            properties = null;
        } else {
            if (properties == null || properties.isNull() || properties.isMissingNode()) {
                properties = mapper.createObjectNode();
            }
            if (!properties.isObject()) {
                return Outcome.reject("properties are not a JSON object but "
                        + properties.getNodeType().name().toLowerCase());
            }
            try {
                json = mapper.writeValueAsString(properties);
            } catch (JsonProcessingException ex) {
                return Outcome.reject("properties cannot be written as JSON");
            }
        }
        if (hasNulEscape(json)) {
            return Outcome.reject("properties contain \\u0000, which PostgreSQL's jsonb cannot store");
        }
        String userId = text(e.distinctId());
        String sessionId;
        if (properties != null) {
            if (userId == null) {
                userId = text(properties.get("distinct_id"));
            }
            sessionId = text(properties.get("$session_id"));
        } else {
            // Found by the one streaming pass that checked the text, without building a tree.
            if (userId == null) {
                userId = foundDistinctId;
            }
            sessionId = foundSessionId;
        }
        String badUser = userId == null ? null : textProblem("distinct_id", userId);
        if (badUser != null) {
            return Outcome.reject(badUser);
        }
        String badSession = sessionId == null ? null : textProblem("$session_id", sessionId);
        if (badSession != null) {
            return Outcome.reject(badSession);
        }
        return new Outcome(new ValidEvent(e.uuid(), name, json, e.time(), userId, sessionId), null);
    }

    private String foundDistinctId;
    private String foundSessionId;

    /**
     * Null when {@code json} is exactly one JSON object, else why not. In the same pass, keeps the text of its
     * top-level {@code $session_id} and (when {@code wantDistinctId}) {@code distinct_id}.
     */
    private String scanObjectText(String json, boolean wantDistinctId) {
        foundDistinctId = null;
        foundSessionId = null;
        try (JsonParser p = mapper.getFactory().createParser(json)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                return "properties are not a JSON object but " + describe(first);
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                boolean scalar = value.isScalarValue() && value != JsonToken.VALUE_NULL;
                if (scalar && "$session_id".equals(name)) {
                    foundSessionId = p.getText();
                } else if (scalar && wantDistinctId && "distinct_id".equals(name)) {
                    foundDistinctId = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return "properties are not valid JSON (trailing content)";
            }
            return null;
        } catch (IOException ex) {
            return "properties are not valid JSON";
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        switch (token) {
            case START_ARRAY: return "array";
            case VALUE_STRING: return "string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: return "number";
            case VALUE_TRUE:
            case VALUE_FALSE: return "boolean";
            case VALUE_NULL: return "null";
            default: return token.name().toLowerCase();
        }
    }

    private static String textProblem(String what, String value) {
        if (value.length() > MAX_TEXT) {
            return what + " longer than " + MAX_TEXT + " characters";
        }
        if (value.indexOf('\0') >= 0) {
            return what + " contains a NUL character";
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asText();
    }

    /** A JSON escape {@code \u0000}, not a literal backslash followed by "u0000". */
    static boolean hasNulEscape(String json) {
        for (int i = json.indexOf("\\u0000"); i >= 0; i = json.indexOf("\\u0000", i + 1)) {
            int backslashes = 0;
            for (int j = i; j >= 0 && json.charAt(j) == '\\'; j--) {
                backslashes++;
            }
            if (backslashes % 2 == 1) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "…";
    }
}
