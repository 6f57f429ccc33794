package dev.pgdeck.model.backup;

import dev.pgdeck.model.wal.Lsn;

import java.time.OffsetDateTime;

/**
 * One base backup as the console shows it. {@code label} is the backup directory name (YYYYMMDD-HHMMSS);
 * {@code pgLabel} the label given to pg_basebackup. Values no source gave are null.
 */
public record BaseBackup(String label, OffsetDateTime startTime, OffsetDateTime stopTime, Lsn startLsn, Lsn stopLsn,
                         int timeline, Long sizeBytes, String pgLabel) {

    /**
     * Combines what is known about one backup directory. The backup history file from the WAL archive (or the
     * backup_label) gives the times and LSNs; the manifest gives the size and, lacking a history file, the stop LSN.
     *
     * @param labelOrHistory backup_label or backup history file, may be null
     * @param manifest the backup_manifest, may be null
     */
    public static BaseBackup of(String dirName, BackupLabel labelOrHistory, BackupManifest manifest) {
        if (labelOrHistory == null && manifest == null) {
            throw new IllegalArgumentException("a base backup needs a backup label, history file or manifest");
        }
        Lsn start = labelOrHistory != null ? labelOrHistory.startLsn() : manifest.walRanges().get(0).start();
        Lsn stop = labelOrHistory != null && labelOrHistory.hasStop() ? labelOrHistory.stopLsn()
                : manifest != null ? manifest.lastWalRange().end() : null;
        int timeline = labelOrHistory != null && labelOrHistory.stopTimeline() != null ? labelOrHistory.stopTimeline()
                : manifest != null ? manifest.lastWalRange().timeline() : labelOrHistory.startTimeline();
        return new BaseBackup(dirName,
                labelOrHistory == null ? null : labelOrHistory.startTime(),
                labelOrHistory == null ? null : labelOrHistory.stopTime(),
                start, stop, timeline,
                manifest == null ? null : manifest.totalSize(),
                labelOrHistory == null ? null : labelOrHistory.label());
    }

    /** Whether recovery can start from this backup: it needs to know where the backup stopped. */
    public boolean isComplete() {
        return stopLsn != null;
    }
}
