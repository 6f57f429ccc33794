package dev.pgdeck.model.health;

import java.time.Duration;

/**
 * How far WAL archiving is behind: bytes of WAL written but not archived, for how long the oldest of them has
 * waited, and the {@code .ready} files in pg_wal/archive_status.
 */
public record ArchiveLag(long bytes, Duration age, int readyFiles) {
}
