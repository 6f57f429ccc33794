package dev.pgdeck.model;

import java.time.OffsetDateTime;

/** A row of pg_stat_archiver. The WAL names and times are null before the first archive (or first failure). */
public record ArchiverStats(long archivedCount, String lastArchivedWal, OffsetDateTime lastArchivedTime,
                            long failedCount, String lastFailedWal, OffsetDateTime lastFailedTime) {
}
