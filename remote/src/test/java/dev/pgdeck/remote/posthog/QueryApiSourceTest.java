package dev.pgdeck.remote.posthog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pgdeck.remote.json.Json;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QueryApiSourceTest {
    private final QueryApiSource source = new QueryApiSource(
            PostHogConnection.of(URI.create("https://posthog.example.com"), "7", ApiKey.of("k")),
            Instant.parse("2025-03-02T00:00:00Z"));

    @Test
    void pagesByTheKeyTimestampUuidAscendingWithPlaceholders() throws Exception {
        JsonNode body = Json.mapper().readTree(source.body(
                Position.after(Instant.parse("2025-03-01T10:00:00.123456Z"), "0195-x'--"), 500));
        String hogql = body.path("query").path("query").asText();
        assertEquals("HogQLQuery", body.path("query").path("kind").asText());
        assertTrue(hogql.contains("ORDER BY timestamp ASC, uuid ASC LIMIT 500"), hogql);
        assertTrue(hogql.contains("uuid > toUUID({after_uuid})"), hogql);
        assertFalse(hogql.contains("0195-x"), "values are never spliced into HogQL: " + hogql);
        JsonNode values = body.path("query").path("values");
        assertEquals("2025-03-01 10:00:00.123456", values.path("after_ts").asText());
        assertEquals("0195-x'--", values.path("after_uuid").asText());
        assertEquals("2025-03-02 00:00:00.000000", values.path("until").asText());
    }

    @Test
    void parsesPostHogAndClickHouseTimestamps() {
        Instant t = Instant.parse("2025-03-01T10:00:00.123456Z");
        assertEquals(t, Timestamps.parse("2025-03-01T10:00:00.123456Z"));
        assertEquals(t, Timestamps.parse("2025-03-01T10:00:00.123456+00:00"));
        assertEquals(t, Timestamps.parse("2025-03-01T12:00:00.123456+02:00"));
        assertEquals(t, Timestamps.parse("2025-03-01 10:00:00.123456"));
        assertEquals(null, Timestamps.parse("yesterday"));
    }
}
