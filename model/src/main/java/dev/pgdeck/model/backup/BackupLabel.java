package dev.pgdeck.model.backup;

import dev.pgdeck.model.wal.Lsn;
import dev.pgdeck.model.wal.WalFileName;

import java.time.OffsetDateTime;

/**
 * A backup_label file, or a backup history file ({@code <segment>.<offset>.backup} in the WAL archive), which is
 * the label plus the STOP lines. The stop values are null for a plain backup_label.
 */
public record BackupLabel(Lsn startLsn, String startSegment, Lsn checkpointLsn, String method, String backupFrom,
                          OffsetDateTime startTime, String label, int startTimeline, Lsn stopLsn,
                          OffsetDateTime stopTime, Integer stopTimeline) {

    /** Whether this carries the STOP lines (it is a backup history file). */
    public boolean hasStop() {
        return stopLsn != null;
    }

    /** The name of the backup history file PostgreSQL archives for this backup. */
    public String historyFileName() {
        return WalFileName.backupHistoryName(startTimeline, startLsn);
    }
}
