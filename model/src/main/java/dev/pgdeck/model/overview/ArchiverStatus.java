package dev.pgdeck.model.overview;

import dev.pgdeck.model.ArchiverStats;
import java.time.OffsetDateTime;

/**
 * pg_stat_archiver with how far archiving is behind. {@code lagBytes}: WAL written (pg_current_wal_lsn) past the end
 * of the last archived segment; {@code lagSegments}: completed segments not archived yet; {@code lagSeconds}: since
 * the last successful archive while anything is unarchived (0 when nothing is); {@code readyFiles}: the {@code .ready}
 * files in pg_wal/archive_status. The lag values are null when they could not be read (e.g. in recovery).
 */
public record ArchiverStatus(long archivedCount, long failedCount, String lastArchivedWal,
                             OffsetDateTime lastArchivedTime, String lastFailedWal, OffsetDateTime lastFailedTime,
                             Long lagBytes, Long lagSegments, Long lagSeconds, Integer readyFiles) {

    public static ArchiverStatus of(ArchiverStats stats) {
        return stats == null ? null : new ArchiverStatus(stats.archivedCount(), stats.failedCount(),
                stats.lastArchivedWal(), stats.lastArchivedTime(), stats.lastFailedWal(), stats.lastFailedTime(),
                null, null, null, null);
    }

    /** The pg_stat_archiver part, as the health evaluation takes it. */
    public ArchiverStats toStats() {
        return new ArchiverStats(archivedCount, lastArchivedWal, lastArchivedTime, failedCount, lastFailedWal,
                lastFailedTime);
    }
}
