package dev.pgdeck.model.restore;

import dev.pgdeck.model.backup.BaseBackup;
import java.time.LocalDateTime;

/**
 * What the operator chose, and where things are on the host.
 *
 * @param backupDir the directory holding the chosen backup's {@code base.tar.gz} (and {@code pg_wal.tar.gz})
 * @param hasWalTar whether the backup has {@code pg_wal.tar.gz} (pg_basebackup -Ft -X stream)
 * @param scratchPort the free port a drill's server listens on (unused in place)
 * @param startedAt names the moved-aside and scratch directories ({@code .pre-restore-YYYYMMDD-HHMMSS})
 * @param verifySql the operator's verification query, or null
 * @param restic where base backup and WAL come from when not from the host's own directories, else null
 */
public record RestoreRequest(String host, String instance, int port, RestoreMode mode, RecoveryTarget target,
                             int timeline, BaseBackup backup, String dataDir, String walArchive, String backupDir,
                             boolean hasWalTar, int scratchPort, LocalDateTime startedAt, String verifySql,
                             ResticSource restic) {
}
