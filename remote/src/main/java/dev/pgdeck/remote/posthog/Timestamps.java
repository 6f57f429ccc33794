package dev.pgdeck.remote.posthog;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** PostHog's timestamp texts: ISO-8601 with an offset or Z; ClickHouse's {@code 2024-01-02 03:04:05.123456} is UTC. */
public final class Timestamps {
    private static final DateTimeFormatter CLICKHOUSE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private Timestamps() {}

    /** The instant, truncated to microseconds as PostgreSQL keeps it; null when the text is not a timestamp. */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** For HogQL's {@code toDateTime64(..., 6, 'UTC')}. */
    static String clickhouse(Instant time) {
        return CLICKHOUSE.format(time.atOffset(ZoneOffset.UTC));
    }
}
