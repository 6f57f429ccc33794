package dev.pgdeck.model.overview;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the server says about itself beyond the archiver: when the postmaster started (for the uptime), client
 * connections now and {@code max_connections}, and each database's size in bytes (by name, sorted).
 */
public record ServerSummary(OffsetDateTime startedAt, Integer connections, Integer maxConnections,
                            Map<String, Long> databaseSizes) {
    public ServerSummary {
        databaseSizes = databaseSizes == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new TreeMap<>(databaseSizes));
    }
}
