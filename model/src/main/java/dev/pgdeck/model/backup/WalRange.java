package dev.pgdeck.model.backup;

import dev.pgdeck.model.wal.Lsn;

/** A "WAL-Ranges" entry of a backup manifest: the WAL a backup needs to be consistent. */
public record WalRange(int timeline, Lsn start, Lsn end) {
}
